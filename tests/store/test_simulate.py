"""`kiosk keys clinic` and `kiosk simulate`, end to end as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import read_private_key
from kiosk.store import TabletStore

pytestmark = pytest.mark.store
PASSPHRASE = b"a long clinic passphrase"


def kiosk(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "site")}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def clinic_keys(tmp_path: Path) -> Path:
    (tmp_path / "pass").write_bytes(PASSPHRASE)
    result = kiosk(tmp_path, "keys", "clinic", "--out", "keys", "--passphrase-file", "pass")
    assert result.returncode == 0, result.stderr
    private = next((tmp_path / "keys").glob("clinic-*.key"))
    assert private.stat().st_mode & 0o777 == 0o600
    return tmp_path / "keys"


def opened(tmp_path: Path, keys: Path) -> list:
    pair = read_private_key(next(keys.glob("clinic-*.key")), PASSPHRASE)
    store = TabletStore.open(tmp_path / "tablet")
    try:
        return [open_envelope(item.envelope, pair.private) for item in store.pending(1000)]
    finally:
        store.close()


def test_random_sessions_are_sealed_for_the_clinic(tmp_path: Path, clinic_keys: Path) -> None:
    result = kiosk(
        tmp_path,
        "simulate",
        "--data-dir",
        "tablet",
        "--sessions",
        "6",
        "--clinic-public-key",
        "keys/clinic.pub",
        "--seed",
        "3",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["sessions"] == summary["submitted"] == summary["outbox"] == 6
    assert summary["answers_saved"] > 6
    submissions = opened(tmp_path, clinic_keys)
    assert len(submissions) == 6
    assert all(s.status == "complete" and s.pathway == "cardiology" for s in submissions)
    assert (
        sum(len(a) for s in submissions for a in s.answers().values()) == summary["answers_saved"]
    )


@pytest.mark.control("H-08-C6")
def test_walking_away_queues_incomplete_sessions(tmp_path: Path, clinic_keys: Path) -> None:
    result = kiosk(
        tmp_path,
        "simulate",
        "--data-dir",
        "tablet",
        "--sessions",
        "3",
        "--abandon-after",
        "2",
        "--clinic-public-key",
        "keys/clinic.pub",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["abandoned"] == 3
    for submission in opened(tmp_path, clinic_keys):
        assert (submission.status, submission.end_reason) == ("incomplete", "timed_out")
        assert sum(len(a) for a in submission.answers().values()) == 2


def test_answers_from_a_file_arrive_exactly(tmp_path: Path, clinic_keys: Path) -> None:
    answers = {
        "social_welfare": {"ends_meet": "yes", "wants_help": "yes"},
        "ons4": {"anxiety": 7},
        "what_matters": {"main_concern": "My  knee"},
    }
    (tmp_path / "answers.json").write_text(json.dumps(answers), encoding="utf-8")
    result = kiosk(
        tmp_path,
        "simulate",
        "--data-dir",
        "tablet",
        "--sessions",
        "1",
        "--answers",
        "answers.json",
        "--clinic-public-key",
        "keys/clinic.pub",
    )
    assert result.returncode == 0, result.stderr
    [submission] = opened(tmp_path, clinic_keys)
    assert submission.answers() == {
        "social_welfare": {"ends_meet": "yes", "wants_help": "yes"},
        "ons4": {"anxiety": 7},
        "what_matters": {"main_concern": "My  knee"},  # the patient's words, trimmed
    }
    summary = submission.record("_session/end")["summary"]
    assert {f["id"] for f in summary["social_welfare"]["flags"]} == {"ends_meet", "wants_help"}


def test_an_answer_the_form_refuses_is_named(tmp_path: Path, clinic_keys: Path) -> None:
    (tmp_path / "answers.json").write_text(json.dumps({"ons4": {"anxiety": 12}}), "utf-8")
    result = kiosk(
        tmp_path,
        "simulate",
        "--data-dir",
        "tablet",
        "--sessions",
        "1",
        "--answers",
        "answers.json",
        "--clinic-public-key",
        "keys/clinic.pub",
    )
    assert result.returncode == 2
    assert "anxiety" in result.stderr and "outside its scale" in result.stderr


def test_without_a_clinic_key_nothing_starts(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "simulate", "--data-dir", "tablet", "--sessions", "1")
    assert result.returncode == 2
    assert "Enrol it with the clinic" in result.stderr


def test_clinic_key_needs_the_right_passphrase(tmp_path: Path, clinic_keys: Path) -> None:
    from kiosk.envelope.errors import EnvelopeError

    with pytest.raises(EnvelopeError, match="wrong passphrase"):
        read_private_key(next(clinic_keys.glob("clinic-*.key")), b"not the passphrase")
