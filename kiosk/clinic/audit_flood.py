"""Refusals of anonymous requests, coalesced for the audit log.

Anyone can send requests without signing in; each is refused and audited. A
flood of them would otherwise write one audit row per request. Here the first
refusal from an address with a given outcome in a minute is written at once;
the rest in that minute are counted, and the count is written as one row when
the minute is over (at the next anonymous refusal from anyone). Memory is
bounded: beyond ``kept`` addresses in one minute, the others are counted
together under the address ``*``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

WINDOW_S = 60.0
KEPT = 1024
OVERFLOW = "*"


@dataclass
class _Window:
    started: float
    action: str
    target: str | None
    count: int = 0  # refusals after the first, not yet written


@dataclass(frozen=True)
class Row:
    action: str
    target: str | None
    remote: str | None
    outcome: str
    detail: str | None = None


class AnonymousFlood:
    def __init__(self, window_s: float = WINDOW_S, kept: int = KEPT) -> None:
        self.window_s, self.kept = window_s, kept
        self._lock = threading.Lock()
        self._windows: OrderedDict[tuple[str | None, str], _Window] = OrderedDict()

    def admit(
        self, action: str, target: str | None, remote: str | None, outcome: str, now: float
    ) -> list[Row]:
        """The audit rows to write for this refusal: none while its minute is being
        counted; counts of minutes that have ended; this one if it opens a minute."""
        with self._lock:
            rows = self._ended(now)
            key = (remote, outcome)
            if key not in self._windows and len(self._windows) >= self.kept:
                key = (OVERFLOW, outcome)
            window = self._windows.get(key)
            if window is not None:
                window.count += 1
                return rows
            self._windows[key] = _Window(now, action, target)
            rows.append(Row(action, target, key[0], outcome))
            return rows

    def _ended(self, now: float) -> list[Row]:
        rows = []
        while self._windows:
            key, window = next(iter(self._windows.items()))
            if now - window.started < self.window_s:
                break  # windows are kept in the order they started
            del self._windows[key]
            if window.count:
                rows.append(
                    Row(
                        window.action,
                        window.target,
                        key[0],
                        key[1],
                        f"{window.count} more like this in the minute after the first "
                        "(counted, not written one by one)",
                    )
                )
        return rows
