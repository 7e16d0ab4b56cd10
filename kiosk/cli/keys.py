"""``kiosk keys clinic``: make the clinic's X25519 key pair.

Writes ``clinic.pub`` (give it to tablets; enrolment will do this) and
``clinic-KEYID.key`` (the private key, encrypted with a passphrase, mode 0600;
keep it and every older one: they open older submissions).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.errors import fail
from kiosk.envelope.keys import ClinicKeyPair, write_private_key


def register(commands: Any) -> None:
    keys = commands.add_parser("keys", help="make keys")
    sub = keys.add_subparsers(dest="keys_command", metavar="KIND", required=True)
    p = sub.add_parser("clinic", help="make the clinic's key pair (private half encrypted)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR")
    p.add_argument(
        "--passphrase-file",
        type=Path,
        required=True,
        metavar="FILE",
        help="a file holding the passphrase (at least 12 characters)",
    )
    p.set_defaults(handler=make_clinic_keys)


def make_clinic_keys(args: argparse.Namespace) -> int:
    try:
        passphrase = args.passphrase_file.read_bytes().strip()
        args.out.mkdir(parents=True, exist_ok=True)
        pair = ClinicKeyPair.generate()
        private_path = args.out / f"clinic-{pair.id}.key"
        write_private_key(pair, private_path, passphrase)
        (args.out / "clinic.pub").write_text(pair.public.to_text() + "\n", encoding="ascii")
    except OSError as exc:
        return fail(exc)
    print(f"clinic key {pair.id}: public {args.out / 'clinic.pub'}, private {private_path}")
    return 0
