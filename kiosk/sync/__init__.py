"""Store-and-forward sync between a tablet and the clinic service.

``signing`` is the request-signing and enrolment-proof format both sides share;
``client`` is the tablet side (enrolment, upload with receipts, retries).
"""
