"""Triage saved by someone else first: what stays in this user's boxes.

A save names the version it started from; when someone else saved first the
clinic refuses it (409) with what they saved. Nothing this user typed is lost:
each field this user changed keeps this user's value, and each field this user
left alone takes the other person's. The result becomes the new starting point,
so pressing Save again applies this user's changes on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

FIELDS = ("status", "owner", "notes")


def triage_values(triage: Mapping[str, Any]) -> dict[str, Any]:
    """The fields staff edit, as the clinic sent them (empty ones as the boxes show them)."""
    return {
        "status": triage.get("status") or "new",
        "owner": triage.get("owner") or None,
        "notes": triage.get("notes") or "",
    }


@dataclass(frozen=True)
class TriageMerge:
    """The outcome of a refused save."""

    shown: dict[str, Any]
    """What the boxes show now: this user's changes over what the other person saved."""
    theirs: dict[str, Any]
    """What the other person saved: the new base the next save is compared with."""

    @property
    def both_wrote_notes(self) -> bool:
        """Both wrote notes that differ: offer to put theirs above this user's."""
        return self.shown["notes"] != self.theirs["notes"] and bool(self.theirs["notes"])


def merge_triage(
    base: Mapping[str, Any], mine: Mapping[str, Any], current: Mapping[str, Any]
) -> TriageMerge:
    """Three-way merge of this user's values (``mine``, started from ``base``) with
    ``current``, the triage the clinic holds now."""
    theirs = triage_values(current)
    # Where this user changed nothing, what the other person saved stands.
    shown = {f: (theirs[f] if mine[f] == base[f] else mine[f]) for f in FIELDS}
    return TriageMerge(shown, theirs)


def their_notes_above(theirs: str, mine: str) -> str:
    """This user's notes with the other person's put above them, once."""
    if not theirs or theirs in mine:
        return mine
    return f"{theirs}\n\n{mine}" if mine else theirs
