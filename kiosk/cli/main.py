"""Entry point of the ``kiosk`` command.

Known errors (:class:`kiosk.errors.KnownError`: bad input, missing files, a
refusal) are caught here, once, and shown as one plain line with exit code 2
(:mod:`kiosk.cli.errors`); only a bug produces a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.cli import clinic, enrol, export, forms, keys, run, simulate, staff, tablet
from kiosk.cli.errors import fail
from kiosk.errors import KnownError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="What Matters Kiosk: waiting-room questionnaires for NHS outpatient clinics.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    forms.register(commands)
    simulate.register(commands)
    keys.register(commands)
    tablet.register(commands)
    run.register(commands)
    clinic.register(commands)
    enrol.register(commands)
    staff.register(commands)
    export.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        code: int = args.handler(args)
    except KnownError as exc:
        return fail(exc)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
