"""Applying the clinic's configuration on the tablet, and the tablet's record of its clinic.

In the data folder::

    clinic.json       the clinic's address, this device's id, the pinned certificate's
                      fingerprint, when it was enrolled, and the configuration's ETag
    clinic-cert.pem   the pinned certificate
    clinic.pub        the clinic key new sessions are sealed for (kiosk.store)
    clinic-forms/     the clinic's forms and pathways.yaml

A configuration is checked in full before anything changes: file names must be
plain ``*.yaml`` names, the clinic key and clinic list must read, and the forms
are written to a new folder and must load there. Only then is today's list
saved and the new folder swapped in. A configuration that fails any check
changes nothing: the tablet keeps its last good forms.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.engine import EngineError, FormLibrary
from kiosk.envelope.errors import EnvelopeError
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.exchange.clinic_list import ClinicList, ClinicListError, parse_csv
from kiosk.site.files import sync_folder, write_atomically
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from kiosk.store.identity import DeviceIdentity
from kiosk.store.store import CLINIC_KEY_FILE, TabletStore
from kiosk.sync.errors import ConfigError
from kiosk.sync.wire import Config

log = logging.getLogger(__name__)

CLINIC_FILE = "clinic.json"
CERTIFICATE_FILE = "clinic-cert.pem"
FORMS_DIR = "clinic-forms"
PATHWAYS_FILE = "pathways.yaml"
_PREVIOUS = FORMS_DIR + ".previous"
_STAGING_PREFIX = "." + FORMS_DIR + "-"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.yaml")
_DEVICE_NAMES = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}
MAX_FILES = 200
MAX_FILE_CHARS = 1_000_000


# ---------------------------------------------------------------- clinic.json


@dataclass(frozen=True)
class ClinicRecord:
    url: str
    device_id: str
    certificate_fingerprint: str
    enrolled_at: str
    config_etag: str | None = None


def read_clinic_record(data_dir: Path) -> ClinicRecord | None:
    """The tablet's record of its clinic; None if it has never been enrolled."""
    path = data_dir / CLINIC_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return ClinicRecord(**raw)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"The tablet's record of its clinic ({path}) cannot be read ({type(exc).__name__}). "
            "Enrol the tablet again.",
            "clinic_record",
        ) from None


def write_clinic_record(data_dir: Path, record: ClinicRecord) -> None:
    text = json.dumps(dataclasses.asdict(record), indent=2) + "\n"
    write_atomically(data_dir / CLINIC_FILE, text.encode("utf-8"))


def apply_config(
    config: Config, data_dir: Path, store: TabletStore, identity: DeviceIdentity
) -> None:
    """Check ``config`` in full, then make it the tablet's.

    A ConfigError before the swap changes nothing; the ETag is remembered last,
    so a configuration not fully applied is fetched again."""
    files = checked_files(config)
    clinic_key = _clinic_key(config)
    clinic_list = _clinic_list(config)
    record = read_clinic_record(data_dir)
    if record is None:
        raise ConfigError(
            "This tablet has no record of its clinic (clinic.json). Enrol it again.",
            "clinic_record",
        )
    try:
        staged = _stage(data_dir, files, config.version)
        try:
            if clinic_list is not None:
                ClinicLists(store, identity.derive_key(KEY_PURPOSE)).save(clinic_list)
            _swap_in(data_dir, staged)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        _use_clinic_key(data_dir, store, clinic_key)
        write_clinic_record(data_dir, dataclasses.replace(record, config_etag=config.tag))
    except OSError as exc:
        raise ConfigError(
            f"Cannot save the clinic's configuration in {data_dir}: {exc.strerror or exc}. "
            "Check that the tablet has free space.",
            "disk",
        ) from None
    log.info("configuration %s applied: %d forms", config.version, len(config.forms))


def checked_files(config: Config) -> dict[str, str]:
    """File name -> text to write; refuses any name that is not a plain ``*.yaml`` name."""
    if len(config.forms) > MAX_FILES:
        raise ConfigError(f"The clinic sent more than {MAX_FILES} forms.", "too_many_files")
    seen: set[str] = set()
    for name, text in config.forms.items():
        if not is_plain_name(name) or name == PATHWAYS_FILE:
            raise ConfigError(
                f"The clinic's configuration names a form file {name[:80]!r}, which is not a "
                "plain .yaml file name; nothing was changed.",
                "file_name",
            )
        if name.lower() in seen:  # case-insensitive file systems would merge them
            raise ConfigError(f"The clinic sent the form file {name!r} twice.", "file_name")
        seen.add(name.lower())
        if len(text) > MAX_FILE_CHARS:
            raise ConfigError(f"The form file {name!r} from the clinic is too big.", "file_size")
    return {**config.forms, PATHWAYS_FILE: config.pathways}


def is_plain_name(name: str) -> bool:
    """A file name that stays in its folder on every platform: no separators, no ``..``."""
    return (
        len(name) <= 100
        and _PLAIN_NAME.fullmatch(name) is not None
        and ".." not in name
        and name.split(".")[0].lower() not in _DEVICE_NAMES
    )


def _clinic_key(config: Config) -> ClinicPublicKey:
    try:
        return ClinicPublicKey.from_text(config.clinic_keys[0])
    except EnvelopeError:
        raise ConfigError(
            "The clinic key in the configuration is not a key.", "clinic_key"
        ) from None


def _clinic_list(config: Config) -> ClinicList | None:
    if config.clinic_list is None:
        return None
    try:
        return parse_csv(config.clinic_list.csv, "clinic list", config.clinic_list.day)
    except ClinicListError as exc:
        raise ConfigError(
            f"Today's clinic list from the clinic cannot be used, so nothing was changed: {exc}",
            "clinic_list",
        ) from None


def _stage(data_dir: Path, files: dict[str, str], version: str) -> Path:
    """Write ``files`` to a new folder beside the live one and check that they load."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for stale in data_dir.glob(_STAGING_PREFIX + "*"):  # left by a crash mid-apply
        shutil.rmtree(stale, ignore_errors=True)
    staged = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=data_dir))
    try:
        # Not kiosk.site.files: each file is new in a fresh folder, and what is made
        # atomic is the swap of the whole folder (_swap_in), not each file.
        for name, text in files.items():
            with (staged / name).open("x", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        sync_folder(staged)
        FormLibrary.load(staged)
    except EngineError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        detail = str(exc).replace(str(staged) + os.sep, "")
        raise ConfigError(
            f"The forms in configuration {version} from the clinic do not load, so the tablet "
            f"keeps its current forms. {detail}",
            "forms",
        ) from None
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    return staged


def _swap_in(data_dir: Path, staged: Path) -> None:
    # Two renames, not one: a folder cannot be renamed over a non-empty one.
    # clinic_forms_dir() puts the previous folder back if a crash falls between them.
    live, previous = data_dir / FORMS_DIR, data_dir / _PREVIOUS
    recover_forms(data_dir)
    if previous.exists():
        shutil.rmtree(previous)
    if live.exists():
        live.rename(previous)
    staged.rename(live)
    sync_folder(data_dir)
    shutil.rmtree(previous, ignore_errors=True)


def recover_forms(data_dir: Path) -> None:
    live, previous = data_dir / FORMS_DIR, data_dir / _PREVIOUS
    if not live.exists() and previous.is_dir():
        previous.rename(live)
        log.warning("restored the previous clinic forms after an interrupted update")


def clinic_forms_dir(data_dir: Path) -> Path | None:
    """The clinic's forms folder, if the tablet has one (repairing an interrupted swap)."""
    recover_forms(data_dir)
    live = data_dir / FORMS_DIR
    return live if live.is_dir() else None


def _use_clinic_key(data_dir: Path, store: TabletStore, key: ClinicPublicKey) -> None:
    path = data_dir / CLINIC_KEY_FILE
    try:
        current: ClinicPublicKey | None = ClinicPublicKey.load(path)
    except EnvelopeError:
        current = None
    if current is not None and current.id == key.id:
        return
    write_atomically(path, (key.to_text() + "\n").encode("ascii"))
    # Sessions started from now on are sealed for the new key; one attribute,
    # so the UI thread sees the old key or the new, never half of either.
    store.clinic_key = key
    log.info("clinic key is now %s", key.id)
