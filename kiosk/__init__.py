"""What Matters Kiosk: waiting-room questionnaires for NHS outpatient clinics."""

__version__ = "0.1.0"
