"""The clinic a ``kiosk clinic``, ``kiosk clinic users`` or ``kiosk export`` command names:
its command-line arguments, its settings, and the service opened from them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.clinic.config import CONFIG_ENV, ClinicConfig
from kiosk.site import paths
from kiosk.site.tomlfile import SettingsError

if TYPE_CHECKING:
    from kiosk.clinic.service import ClinicService


def clinic_arguments(p: argparse.ArgumentParser, *, folder: bool = True) -> None:
    if folder:
        p.add_argument("folder", type=Path, nargs="?", metavar="DIR", help="the clinic folder")
    p.add_argument("--config", type=Path, default=None, metavar="FILE",
                   help=f"the clinic's settings file (default: ${CONFIG_ENV})")  # fmt: skip
    p.add_argument("--passphrase-file", type=Path, default=None, metavar="FILE")
    p.add_argument("--database", default=None, metavar="URL", help="default: DIR/clinic.db")


def target_of(args: argparse.Namespace) -> ClinicConfig:
    """The clinic a command names: a settings file, or DIR with --passphrase-file."""
    from kiosk.clinic.config import BACKUPS_FOLDER, BackupPolicy

    folder = getattr(args, "folder", None)
    config_file = args.config
    if config_file is None and folder is None and os.environ.get(CONFIG_ENV):
        config_file = Path(os.environ[CONFIG_ENV])
    if config_file is not None:
        if folder is not None or args.passphrase_file is not None or args.database is not None:
            raise SettingsError(
                "give either the settings file (--config) or the clinic folder with "
                "--passphrase-file and --database, not both"
            )
        return ClinicConfig.load(config_file)
    if folder is None:
        raise SettingsError(
            f"which clinic? Give --config FILE (or set {CONFIG_ENV}), or the clinic folder "
            "and --passphrase-file"
        )
    return ClinicConfig(
        folder=folder,
        passphrase_file=args.passphrase_file,
        database=args.database,
        backups=BackupPolicy(folder / BACKUPS_FOLDER),
    )


def open_clinic(args: argparse.Namespace) -> ClinicService:
    from kiosk.clinic.setup import open_configured

    return open_configured(target_of(args), paths.form_dirs())
