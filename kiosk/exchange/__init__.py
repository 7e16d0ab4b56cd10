"""Formats the tablet and the clinic exchange: the clinic-list CSV and device keys;
the hospital's appointment feeds (HL7 v2 SIU over MLLP, FHIR Appointment Bundles);
FHIR Questionnaires imported as form files.

Both sides read and write these, so they sit below the tablet's store and the
clinic service alike: the clinic never imports the tablet's store. No database,
no network, no files.

Known errors, each with a plain message that names where the problem is::

    kiosk.errors.KnownError
    └── ExchangeError
        ├── ClinicListError     a clinic list that cannot be read or used (``FILE:LINE: why``)
        ├── DeviceKeyTextError  text that is not a device public key (enrolment at the
        │                       clinic turns it into its own refusal)
        ├── Hl7Error            an HL7 v2 message that cannot be applied (``PID-7: why``),
        │                       answered with an AE or AR acknowledgement
        ├── MllpFrameError      an MLLP frame longer than the listener takes
        ├── FhirBundleError     a FHIR Bundle of appointments that cannot be read
        │                       (``entry[3].Appointment.start: why``)
        └── FhirImportError     a FHIR Questionnaire that cannot become a form file, each
                                problem named by its JSON pointer (``/item/1/repeats: why``)
"""

from kiosk.exchange.errors import (
    ClinicListError,
    DeviceKeyTextError,
    ExchangeError,
    FhirBundleError,
    Hl7Error,
    MllpFrameError,
)

__all__ = [
    "ClinicListError",
    "DeviceKeyTextError",
    "ExchangeError",
    "FhirBundleError",
    "Hl7Error",
    "MllpFrameError",
]
