"""Store-and-forward sync between a tablet and the clinic service.

``signing`` is the request-signing and enrolment-proof format both sides share;
``wire`` the tablet API's paths and the clinic's answers, checked; ``https`` the
one HTTPS client factory (also used by the staff console); ``client`` the
tablet's signed requests; ``enrol``, ``config`` and ``worker`` enrolment,
applying the clinic's configuration, and upload with receipts and retries.
Known errors are in ``errors`` (tree drawn there), rooted at
:class:`kiosk.errors.KnownError`.
"""
