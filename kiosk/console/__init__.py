"""The staff console without Qt: what its screens use that can be tested without a window.

``client`` is :class:`~kiosk.console.client.StaffClient`, the staff API over HTTPS
(docs/staff-api.md), with the known errors below (the administrators' calls are
mixed in from ``admin_calls``; every route's path is in :mod:`kiosk.vocabulary`, the
words for the codes it sends are the screens'); ``triage_merge`` keeps this
user's triage changes over a save someone else made first; ``export_staging``
puts export files into a folder, whole, and a set of files all or none.
The Qt screens are in :mod:`kiosk.ui.staff`.

It never imports ``kiosk.clinic``: staff screens see only what the API gives them.

Known errors (kiosk.console.client) carry plain words for staff and never patient
data; each carries the clinic's error ``code`` (e.g. ``last_administrator``) when
it gave one::

    kiosk.errors.KnownError
    └── ConsoleError
        ├── SignInError        wrong username or password, or the account is locked
        ├── SessionExpired     the token expired or was refused: sign in again
        ├── WrongPassword      the current password given to change it is wrong
        ├── Forbidden          this role may not do this
        │   └── PasswordChangeRequired  choose a new password before anything else
        ├── NotFound           no such submission, referral or tablet
        ├── EditConflict       someone else saved first; ``current`` is what they saved
        ├── BadRequest         the clinic refused a value (``code``, plain message)
        │   └── AnswersRefused  answers keyed in that the engine refused (``problems``)
        └── ClinicUnavailable  cannot reach the clinic, a time-out, or a server error
"""
