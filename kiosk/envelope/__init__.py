"""Sealing patient data for the clinic: keys, per-answer encryption, envelopes.

Pure cryptography and data formats: no database, no network. The tablet's
store seals with it; the clinic (and tests, with a test key) open with it.

The tablet only ever holds the clinic's *public* key, so nothing it stores can
be decrypted on the tablet once a session's data key is gone.

Known errors of sealing and opening::

    kiosk.errors.KnownError
    └── EnvelopeError            (kiosk.envelope.errors)
        ├── WrongKeyError        the clinic key cannot open this data key
        ├── TamperedError        a record failed authentication (names which)
        └── MalformedEnvelope    the envelope is not in the expected format
"""
