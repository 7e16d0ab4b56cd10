"""Round trip: whatever a patient enters comes out exactly so at the clinic, for
sessions that are submitted, abandoned, timed out, or cut short by a crash and
recovered when the store next opens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given as for_all
from hypothesis import settings
from hypothesis import strategies as st

from kiosk.envelope.envelope import END_RECORD, START_RECORD, OpenedSubmission, open_envelope
from kiosk.envelope.errors import TamperedError
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.envelope.seal import new_data_key, open_record, seal_record
from kiosk.store.session import SealedSession, SessionEndedError
from kiosk.store.store import TabletStore

pytestmark = pytest.mark.store

FORMS = [
    {"id": "what_matters", "version": "1.2.0", "hash": "sha256:" + "a" * 64},
    {"id": "wellbeing", "version": "2.0.0", "hash": "sha256:" + "b" * 64},
    {"id": "social", "version": "0.9.1", "hash": "sha256:" + "c" * 64},
]

URDU = "میری سب سے بڑی فکر یہ ہے کہ میں اپنے پوتے پوتیوں کے ساتھ چل سکوں۔"
ARABIC = "ما يهمني أكثر هو أن أستطيع المشي إلى المسجد دون ألم."
EMOJI = "👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ 🙏🏽 👍🏿"
OTHER = "Zoë’s “café” — naïve façade; 中文; ελληνικά; \u200f\u202e; tab\tnew\nline \\ \" ' \u0000"
FREE_TEXT = " ".join([URDU, ARABIC, EMOJI, OTHER] * 12)


class Given:
    """What the patient gave, with the store's semantics: the latest value per item
    wins, and None withdraws an answer."""

    def __init__(self, session: SealedSession) -> None:
        self.session = session
        self.answers: dict[str, dict[str, Any]] = {}

    def answer(self, form_id: str, item_id: str, value: Any) -> None:
        self.session.answer(form_id, item_id, value)
        if value is None:
            self.answers.get(form_id, {}).pop(item_id, None)
        else:
            self.answers.setdefault(form_id, {})[item_id] = value

    def expected(self) -> dict[str, dict[str, Any]]:
        return {form_id: dict(items) for form_id, items in self.answers.items() if items}


def fill_in(session: SealedSession) -> Given:
    """A long session using every JSON value type the forms produce."""
    given = Given(session)
    # single choice codes, changed twice
    given.answer("what_matters", "priority", "walking")
    given.answer("what_matters", "priority", "sleep")
    given.answer("what_matters", "priority", "family")
    # long unicode free text
    given.answer("what_matters", "in_your_words", FREE_TEXT)
    given.answer("what_matters", "short_text", URDU)
    # multiple choice: lists of codes, and an exclusive choice replacing them
    given.answer("what_matters", "worries", ["pain", "money", "housing"])
    given.answer("what_matters", "worries", ["prefer_not"])
    # scales and integers, including falsy values that must not vanish
    given.answer("wellbeing", "score", 0)
    given.answer("wellbeing", "sleep_hours", 7)
    given.answer("wellbeing", "steps", 10**15)
    given.answer("wellbeing", "change", -3)
    given.answer("wellbeing", "weight_kg", 72.5)
    given.answer("wellbeing", "agrees", False)
    given.answer("wellbeing", "nothing_ticked", [])
    given.answer("wellbeing", "blank", "")
    given.answer("wellbeing", "bp", {"systolic": 120, "diastolic": 80})
    # dates, NHS number, postcode: strings
    given.answer("wellbeing", "last_fall", "2024-02-29")
    given.answer("social", "nhs_number", "9434765919")
    given.answer("social", "postcode", "LS1 4AP")
    # withdrawn answers (skip logic withdrawing a stale answer)
    given.answer("wellbeing", "carer", "yes")
    given.answer("wellbeing", "carer", None)
    given.answer("wellbeing", "carer_hours", 12)
    given.answer("wellbeing", "carer_hours", None)
    given.answer("wellbeing", "carer_hours", 20)  # given again after withdrawal
    given.answer("social", "housing", "no")
    given.answer("social", "housing", None)
    given.answer("social", "never_answered", None)  # withdrawing what was never given
    return given


def opened_outbox(store: TabletStore, clinic: ClinicKeyPair) -> dict[str, OpenedSubmission]:
    opened = {}
    for item in store.pending(limit=10_000):
        submission = open_envelope(item.envelope, clinic.private)
        assert submission.submission_id == item.submission_id
        assert submission.status == item.status
        opened[item.submission_id] = submission
    return opened


def check_submission(
    submission: OpenedSubmission, given: Given, status: str, end_reason: str
) -> None:
    assert submission.answers() == given.expected()
    assert submission.status == status
    assert submission.end_reason == end_reason
    assert submission.pathway == "cardiology"
    assert submission.forms == FORMS
    seqs = [seq for seq, _name, _value in submission.records]
    assert seqs == list(range(1, len(seqs) + 1))
    start = submission.record(START_RECORD)
    assert start["pathway"] == "cardiology"
    assert start["forms"] == FORMS
    assert start["started_at"] == submission.started_at
    assert submission.records[0][1] == START_RECORD
    # Every normal ending is sealed; only a crash leaves no end record.
    assert (submission.records[-1][1] == END_RECORD) == (end_reason != "interrupted")


# ------------------------------------------------------------------ the four endings


@pytest.mark.control("H-22-C4")
def test_a_submitted_session_opens_exactly(store: TabletStore, clinic: ClinicKeyPair) -> None:
    session = store.start_session("cardiology", FORMS)
    given = fill_in(session)
    assert store.counts()["in_progress"] == 1
    summary = {"forms_completed": 3, "skipped": ["social"]}
    assert session.submit(summary) == session.id
    assert session.ended

    (submission,) = opened_outbox(store, clinic).values()
    check_submission(submission, given, "complete", "submitted")
    assert submission.record(END_RECORD) == {
        "status": "complete",
        "end_reason": "submitted",
        "summary": summary,
    }
    assert submission.answers()["what_matters"]["in_your_words"] == FREE_TEXT
    assert "carer" not in submission.answers()["wellbeing"]
    assert "social" in submission.answers()
    assert "housing" not in submission.answers()["social"]
    assert store.counts() == {"outbox": 1, "acknowledged": 0, "in_progress": 0, "quarantined": 0}
    (logged,) = store.events("session_submitted")
    assert logged["submission_id"] == session.id
    assert logged["status"] == "complete"


@pytest.mark.parametrize(
    ("reason", "event"), [("abandoned", "session_abandoned"), ("timed_out", "session_timed_out")]
)
def test_an_unfinished_session_opens_as_incomplete(
    store: TabletStore, clinic: ClinicKeyPair, reason: str, event: str
) -> None:
    session = store.start_session("cardiology", FORMS)
    given = fill_in(session)
    session.abandon(reason)

    (submission,) = opened_outbox(store, clinic).values()
    check_submission(submission, given, "incomplete", reason)
    assert submission.record(END_RECORD) == {"status": "incomplete", "end_reason": reason}
    (logged,) = store.events(event)
    assert logged["submission_id"] == session.id
    assert logged["status"] == "incomplete"


def test_an_unknown_abandon_reason_is_refused(store: TabletStore) -> None:
    session = store.start_session("cardiology", FORMS)
    with pytest.raises(ValueError, match="unknown reason"):
        session.abandon("bored")
    assert not session.ended


@pytest.mark.control("H-08-C1")
@pytest.mark.parametrize("reopen_with_key", [True, False], ids=["with-key", "without-key"])
def test_a_session_left_open_is_recovered_as_incomplete(
    store: TabletStore, clinic: ClinicKeyPair, data_dir: Path, reopen_with_key: bool
) -> None:
    session = store.start_session("cardiology", FORMS)
    given = fill_in(session)
    store.close()  # the app stops with the session still open

    reopened = TabletStore.open(data_dir, clinic.public if reopen_with_key else None)
    try:
        assert reopened.counts()["in_progress"] == 0
        (submission,) = opened_outbox(reopened, clinic).values()
        assert submission.submission_id == session.id
        check_submission(submission, given, "incomplete", "interrupted")
        (recovered,) = reopened.events("session_recovered")
        assert recovered["submission_id"] == session.id
        assert reopened.events("store_opened")[-1]["count"] == 1
    finally:
        reopened.close()

    # opening again recovers nothing twice
    again = TabletStore.open(data_dir, clinic.public)
    try:
        assert len(again.pending()) == 1
        assert again.events("store_opened")[-1]["count"] == 0
    finally:
        again.close()


@pytest.mark.control("H-05-C4")
def test_many_sessions_at_once_each_get_only_their_own_answers(
    store: TabletStore, clinic: ClinicKeyPair, data_dir: Path
) -> None:
    sessions = [store.start_session("cardiology", FORMS) for _ in range(6)]
    givens = [Given(s) for s in sessions]
    for round_ in range(5):
        for index, given in enumerate(givens):
            given.answer("what_matters", "priority", f"choice_{index}_{round_}")
            given.answer("wellbeing", f"item_{round_}", [index, round_, URDU[index:]])
            if round_ == 3:
                given.answer("wellbeing", "item_1", None)
    endings = {
        0: ("complete", "submitted"),
        1: ("incomplete", "abandoned"),
        2: ("incomplete", "timed_out"),
        3: ("complete", "submitted"),
    }
    sessions[0].submit()
    sessions[1].abandon()
    sessions[2].abandon("timed_out")
    sessions[3].submit()
    store.close()  # sessions 4 and 5 are cut short

    reopened = TabletStore.open(data_dir, clinic.public)
    try:
        opened = opened_outbox(reopened, clinic)
        assert set(opened) == {s.id for s in sessions}
        for index, (session, given) in enumerate(zip(sessions, givens, strict=True)):
            status, reason = endings.get(index, ("incomplete", "interrupted"))
            check_submission(opened[session.id], given, status, reason)
    finally:
        reopened.close()


# ------------------------------------------------------------------ ended sessions


@pytest.mark.control("H-05-C4")
def test_nothing_more_can_be_recorded_once_a_session_ends(
    store: TabletStore, clinic: ClinicKeyPair
) -> None:
    session = store.start_session("cardiology", FORMS)
    session.answer("what_matters", "priority", "walking")
    session.submit()
    with pytest.raises(SessionEndedError):
        session.answer("what_matters", "priority", "sleep")
    with pytest.raises(SessionEndedError):
        session.submit()
    with pytest.raises(SessionEndedError):
        session.abandon()
    (submission,) = opened_outbox(store, clinic).values()
    assert submission.answers() == {"what_matters": {"priority": "walking"}}


def test_an_empty_session_round_trips(store: TabletStore, clinic: ClinicKeyPair) -> None:
    session = store.start_session("cardiology", [])
    session.abandon("timed_out")
    (submission,) = opened_outbox(store, clinic).values()
    assert submission.answers() == {}
    assert submission.forms == []
    assert submission.status == "incomplete"
    assert submission.end_reason == "timed_out"


# ------------------------------------------------------------------ sealing, property-based

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@pytest.mark.control("H-22-C4")
@settings(max_examples=200, deadline=None)
@for_all(value=JSON, seq=st.integers(min_value=1, max_value=10**6), name=st.text(max_size=40))
def test_any_json_value_seals_and_opens_unchanged(value: Any, seq: int, name: str) -> None:
    key = new_data_key()
    sealed = seal_record(key, "0123456789abcdef", name, seq, value)
    assert (len(sealed) - 12 - 16) % 64 == 0
    assert open_record(key, "0123456789abcdef", name, seq, sealed) == value
    with pytest.raises(TamperedError):
        open_record(key, "0123456789abcdef", name, seq + 1, sealed)
    with pytest.raises(TamperedError):
        open_record(key, "fedcba9876543210", name, seq, sealed)
    with pytest.raises(TamperedError):
        open_record(key, "0123456789abcdef", name + "x", seq, sealed)
