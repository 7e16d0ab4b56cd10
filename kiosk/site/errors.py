"""The base of the site layer's known errors (the tree is drawn in ``kiosk.site``)."""

from __future__ import annotations

from kiosk.errors import KnownError


class SiteError(KnownError):
    """Base class for known errors of this installation's files: the message names the file."""
