"""``kiosk tablet ...``: look after a tablet's store (no patient data is ever shown).

kiosk tablet status  --data-dir DIR     outbox, sessions, quarantine, recent events
kiosk tablet set-pin --data-dir DIR     set the staff PIN (read from the terminal or stdin)
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.site import paths
from kiosk.site.settings import SETTINGS_FILE, SettingsError, TabletSettings
from kiosk.store import StaffPin, StoreError, TabletStore


def register(commands: Any) -> None:
    tablet = commands.add_parser("tablet", help="look after this tablet's store")
    sub = tablet.add_subparsers(dest="tablet_command", metavar="ACTION", required=True)
    p = sub.add_parser("status", help="outbox, sessions, quarantine and recent events as JSON")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.add_argument("--events", type=int, default=20, metavar="N", help="how many recent events")
    p.set_defaults(handler=status)
    p = sub.add_parser("set-pin", help="set the staff PIN (6-12 digits)")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.set_defaults(handler=set_pin)


def _open(args: argparse.Namespace) -> TabletStore:
    data_dir = args.data_dir or paths.data_dir()
    settings = TabletSettings.load(data_dir / SETTINGS_FILE)
    return TabletStore.open(data_dir, retention_days=settings.outbox_retention_days)


def status(args: argparse.Namespace) -> int:
    try:
        store = TabletStore.inspect(args.data_dir or paths.data_dir())
        try:
            report = {
                "data_dir": str(store.data_dir),
                "clinic_key": store.clinic_key.id if store.clinic_key else None,
                **store.counts(),
                "quarantine": store.quarantined(),
                "recent_events": store.events()[-args.events :] if args.events > 0 else [],
            }
        finally:
            store.close()
    except StoreError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


def set_pin(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("New staff PIN (6-12 digits): ")
        if getpass.getpass("Type it again: ") != pin:
            print("kiosk: the two PINs differ; nothing changed", file=sys.stderr)
            return 2
    else:
        pin = sys.stdin.readline().strip()
    try:
        store = _open(args)
        try:
            StaffPin(store).set_pin(pin)
        finally:
            store.close()
    except (StoreError, ValueError, SettingsError) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    print("staff PIN set")
    return 0
