"""The clinic service: receives the tablets' sealed submissions and serves staff.

``kiosk clinic serve`` runs it (docs/clinic.md). It opens each submission with
the clinic's private keys, re-scores it with the same engine the tablets use,
and keeps identifiers and free text encrypted column by column; scores, bands
and flags are plain columns for querying.

Its parts (enrolment, signed requests, receiving, staff accounts, casework,
exports) are each handed one ``plumbing.Plumbing``; ``service.ClinicService``
wires them; ``api`` is the HTTP layer over it (docs/ARCHITECTURE.md).

Known errors (``kiosk.clinic.errors``; ``kiosk.errors.KnownError`` is the root).
The service raises them without HTTP status codes; ``kiosk.clinic.api.errors``
maps each kind of ``Refusal`` to its status in one table. ``code`` is the
``error`` field of an answer's body:

    ClinicError
    ├── Refusal                 a request the service refuses; ``code`` says why
    │   ├── Invalid             422  bad_value, bad_device_key, bad_username, bad_role,
    │   │   │                        weak_password, malformed
    │   │   ├── ExportError     422  an export that cannot be made as asked (exports/)
    │   │   └── AnswersRefused  422  bad_answer: answers keyed in that the engine
    │   │                            refuses, each problem named (entries.py)
    │   ├── NotFound            404  not_found
    │   │   └── OutOfScope      404  another clinic's patient, audited apart (scope.py)
    │   ├── Unauthenticated     401  not_signed_in, unsigned, bad_signature, clock_skew,
    │   │   │                        bad_login, bad_password
    │   │   └── ReplayRefused   401  replayed
    │   ├── Forbidden           403  forbidden, password_change_required, not_enrolled,
    │   │                            unknown_code, used_code, expired_code, wrong_proof
    │   ├── StateConflict       409  user_exists, last_administrator, resolved
    │   │   └── EditConflict    409  conflict: someone saved first; carries ``current``
    │   ├── TooLarge            413  batch_too_large
    │   ├── Throttled           429  slow_down, locked, busy (with ``retry_after``)
    │   └── Unavailable         503  busy (the database)
    ├── SecretError             the server key or a sealed column (server_secrets.py)
    ├── DatabaseError           the database cannot be opened or is too new (database.py)
    ├── BackupError             a backup or restore that cannot be done (backup.py)
    ├── ProxyHeaderError        a bad PROXY protocol header (proxy_protocol.py)
    └── ImdError                a postcode lookup file that cannot be used (imd.py)
"""
