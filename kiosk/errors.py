"""The one root of every *known* error in the product.

A known error is one a person can act on: bad input, a missing or damaged file, a
network that is down, a refusal. It carries a plain message saying what was wrong and
where, and is shown to the person (and logged) without a traceback. Anything else that
escapes is a bug, and is reported as one.

Each layer has its own base error deriving from :class:`KnownError`, with its tree
drawn in that layer's package docstring (``kiosk.engine.errors``, ``kiosk.envelope``,
``kiosk.store``, ...). No known error derives from ``ValueError`` or another built-in
error, so code that catches ``KnownError`` never swallows a bug.

This module sits below every layer and imports nothing from the product.
"""

from __future__ import annotations


class KnownError(Exception):
    """Base class of every known error: its message is fit to show to a person."""
