"""The clinic service's HTTP API (FastAPI), over ``ClinicService``.

``kiosk.clinic.app.create_app`` builds the application from three routers:
``tablet`` (health, enrolment, the signed tablet routes), ``staff`` (sign-in,
sessions, the queue and casework) and ``admin`` (accounts, tablets, held
submissions, exports, the audit log). ``errors`` is the one place a service error
becomes a status code; ``schemas`` holds the request and response bodies.
"""
