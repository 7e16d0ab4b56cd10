"""Folders the product reads and writes, from platformdirs or the environment.

``KIOSK_DATA_DIR`` overrides the data folder and ``KIOSK_FORMS_DIR`` the
shipped forms folder; ``KIOSK_SITE_FORMS_DIR`` adds a site's own licensed
forms (for example PAM-13) beside the shipped ones.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "what-matters-kiosk"
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def installed(name: str) -> Path:
    """A folder shipped with the product (``forms``, ``resources``, ``i18n``): beside
    the package in a source tree or the tablet bundle, else where an installed
    wheel puts it (``<prefix>/share/what-matters-kiosk/``)."""
    beside = _SOURCE_ROOT / name
    if beside.is_dir():
        return beside
    shared = Path(sys.prefix) / "share" / APP_NAME / name
    return shared if shared.is_dir() else beside


def data_dir() -> Path:
    """The folder for this installation's own records (created on first use)."""
    override = os.environ.get("KIOSK_DATA_DIR")
    if override:
        return Path(override)
    # Imported only here (some 50 ms): the kiosk's first screen need not wait for it.
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME))


def shipped_forms_dir() -> Path:
    override = os.environ.get("KIOSK_FORMS_DIR")
    return Path(override) if override else installed("forms")


def site_forms_dir() -> Path | None:
    override = os.environ.get("KIOSK_SITE_FORMS_DIR")
    return Path(override) if override else None


def form_dirs() -> list[Path]:
    """The shipped forms, then the site's own (if any)."""
    site = site_forms_dir()
    return [shipped_forms_dir(), *([site] if site else [])]
