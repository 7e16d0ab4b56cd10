"""The transport the console's call mixins use, as a stub.

:class:`kiosk.console.client.StaffClient` mixes in the staff-work calls
(:mod:`kiosk.console.casework_calls`) and the administrators' calls
(:mod:`kiosk.console.admin_calls`) and does the talking itself. The mixins
inherit this stub, of the same signature as the client's ``_call``, so mypy
checks their calls without their importing the client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Transport:
    """Overridden by StaffClient; never called on its own."""

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        signing_in: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        raise NotImplementedError  # StaffClient's
