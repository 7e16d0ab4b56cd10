"""Entry point of the ``kiosk`` command.

Known errors (:class:`kiosk.errors.KnownError`: bad input, missing files, a
refusal) are caught here, once, and shown as one plain line with exit code 2
(:mod:`kiosk.cli.errors`); only a bug produces a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.cli.errors import fail
from kiosk.errors import KnownError

COMMANDS = {
    "forms": "forms",
    "simulate": "simulate",
    "keys": "keys",
    "tablet": "tablet",
    "run": "run",
    "clinic": "clinic",
    "enrol": "enrol",
    "staff": "staff",
    "export": "export",
    "imd": "export",
}
"""Each command and the module of ``kiosk.cli`` that registers it, in the order of
``kiosk --help``. A command imports only its own module: the patient kiosk starts
without loading the clinic service's."""


def _command_in(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the options before it take no values)."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``command``, only that command's part of it."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="What Matters Kiosk: waiting-room questionnaires for NHS outpatient clinics.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for name in modules:
        importlib.import_module(f"kiosk.cli.{name}").register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_command_in(words)).parse_args(words)
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
