"""A two-row clinic list, the same for the CSV's tests and the tablet store's."""

from __future__ import annotations

import datetime as dt

TODAY = dt.date(2026, 11, 23)
HEADER = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,"
    "nhs_number,hospital_number,pathway\n"
)
ROWS = (
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,943 476 5919,,cardiology\n"
    "A-2,10:00,Heart clinic,Okonkwo,Ada,1971-12-24,,RX1-000123,\n"
)
