"""How the ``kiosk`` command shows a problem: one plain line on standard error.

Every known error (:class:`kiosk.errors.KnownError`) that a command does not
handle itself reaches :func:`kiosk.cli.main.main`, which shows it with
:func:`fail` and exits with :data:`EXIT_BAD_INPUT`. A command keeps an
``except`` of its own only where it does more than that: another exit code, a
hint of what to run next, clean-up before the message, or a file that cannot be
read (``OSError`` is not a known error: it can be a bug too) told in plain words.

The command line's own known error, :class:`CommandError`, is drawn in ``kiosk.cli``.
"""

from __future__ import annotations

import sys

from kiosk.errors import KnownError

EXIT_BAD_INPUT = 2
"""Exit code of a command refused for bad input, a missing file or a known error."""


class CommandError(KnownError):
    """A known error of the command line's own work, in plain words."""


def fail(message: object, code: int = EXIT_BAD_INPUT) -> int:
    """Print ``kiosk: MESSAGE`` on standard error; the exit code for the command to return."""
    print(f"kiosk: {message}", file=sys.stderr)
    return code
