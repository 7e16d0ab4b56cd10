"""Formats the tablet and the clinic exchange: the clinic-list CSV and device keys.

Both sides read and write these, so they sit below the tablet's store and the
clinic service alike: the clinic never imports the tablet's store. No database,
no network, no files.

Known errors, each with a plain message that names where the problem is::

    kiosk.errors.KnownError
    └── ExchangeError
        ├── ClinicListError     a clinic list that cannot be read or used (``FILE:LINE: why``)
        └── DeviceKeyTextError  text that is not a device public key (enrolment at the
                                clinic turns it into its own refusal)
"""

from kiosk.exchange.errors import ClinicListError, DeviceKeyTextError, ExchangeError

__all__ = ["ClinicListError", "DeviceKeyTextError", "ExchangeError"]
