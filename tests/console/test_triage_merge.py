"""The triage three-way merge, without a window: someone else saved first."""

from __future__ import annotations

import pytest

from kiosk.console.triage_merge import merge_triage, their_notes_above, triage_values

pytestmark = pytest.mark.staff

BASE = {"status": "new", "owner": None, "notes": ""}


def test_what_the_clinic_sends_is_read_as_the_boxes_show_it() -> None:
    assert triage_values({}) == BASE
    assert triage_values({"status": None, "owner": "", "notes": None, "version": 3}) == BASE
    assert triage_values({"status": "in_review", "owner": "amy", "notes": "rang"}) == {
        "status": "in_review",
        "owner": "amy",
        "notes": "rang",
    }


def test_what_i_changed_stays_and_what_i_left_takes_theirs() -> None:
    mine = {"status": "in_review", "owner": None, "notes": ""}
    current = {"status": "new", "owner": "bob", "notes": "called the GP", "version": 4}
    merge = merge_triage(BASE, mine, current)
    assert merge.shown == {"status": "in_review", "owner": "bob", "notes": "called the GP"}
    assert merge.theirs == {"status": "new", "owner": "bob", "notes": "called the GP"}
    assert not merge.both_wrote_notes  # my notes were untouched: theirs are shown


def test_both_writing_notes_keeps_mine_and_offers_theirs() -> None:
    mine = {"status": "new", "owner": None, "notes": "my note"}
    current = {"status": "new", "owner": None, "notes": "their note"}
    merge = merge_triage(BASE, mine, current)
    assert merge.shown["notes"] == "my note"
    assert merge.both_wrote_notes


def test_no_offer_when_they_wrote_no_notes_or_the_same_ones() -> None:
    mine = {"status": "new", "owner": None, "notes": "same"}
    assert not merge_triage(BASE, mine, {"notes": "same"}).both_wrote_notes
    assert not merge_triage(BASE, mine, {"notes": ""}).both_wrote_notes


def test_their_notes_go_above_mine_once() -> None:
    assert their_notes_above("theirs", "mine") == "theirs\n\nmine"
    assert their_notes_above("theirs", "") == "theirs"
    assert their_notes_above("theirs", "theirs\n\nmine") == "theirs\n\nmine"
    assert their_notes_above("", "mine") == "mine"
