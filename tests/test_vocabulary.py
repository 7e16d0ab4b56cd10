"""One vocabulary: every code that crosses the wire or the database is defined in
kiosk.vocabulary, every layer that shows a code has words for it, and no list of
codes or API path is written out again anywhere else in kiosk/."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk import vocabulary as codes
from kiosk.clinic import casework
from kiosk.reports import formatting as paper
from kiosk.ui.staff import queue_view
from kiosk.ui.staff import words as console

ROOT = Path(__file__).resolve().parents[1]
KIOSK = ROOT / "kiosk"

# Each layer's words for a list of codes: (where, its table, the codes it must cover).
WORDS = [
    ("console", "ROLES", console.ROLES, codes.ROLES),
    ("console", "STATUSES", console.STATUSES, codes.TRIAGE_STATUSES),
    ("console", "REFERRAL_KINDS", console.REFERRAL_KINDS, codes.REFERRAL_KINDS),
    ("console", "REFERRAL_OUTCOMES", console.REFERRAL_OUTCOMES, codes.REFERRAL_OUTCOMES),
    ("console", "URGENCIES", console.URGENCIES, codes.URGENCY_LEVELS),
    ("console", "SEVERITIES", console.SEVERITIES, codes.SEVERITIES),
    ("paper", "STATUS_WORDS", paper.STATUS_WORDS, codes.TRIAGE_STATUSES),
    ("paper", "REFERRAL_WORDS", paper.REFERRAL_WORDS, codes.REFERRAL_KINDS),
    ("paper", "OUTCOME_WORDS", paper.OUTCOME_WORDS, codes.REFERRAL_OUTCOMES),
    ("paper", "SEVERITY_WORDS", paper.SEVERITY_WORDS, codes.SEVERITIES),
    ("paper", "SEVERITY_ORDER", paper.SEVERITY_ORDER, codes.SEVERITIES),
    ("clinic", "URGENCY_LABELS", casework.URGENCY_LABELS, codes.URGENCY_LEVELS),
    ("console", "queue_view.COUNTS", dict(queue_view.COUNTS), codes.QUEUE_COUNTS),
]


@pytest.mark.parametrize(
    ("table", "known"),
    [pytest.param(table, known, id=f"{where}.{name}") for where, name, table, known in WORDS],
)
def test_every_code_has_words_and_no_words_name_a_code_that_is_gone(
    table: dict[Any, Any], known: tuple[Any, ...]
) -> None:
    assert sorted(set(known) - set(table), key=str) == [], "codes without words"
    assert sorted(set(table) - set(known), key=str) == [], "words for codes that are gone"


@pytest.mark.parametrize(
    ("on_paper", "in_the_console"),
    [
        (paper.STATUS_WORDS, console.STATUSES),
        (paper.REFERRAL_WORDS, console.REFERRAL_KINDS),
        (paper.OUTCOME_WORDS, console.REFERRAL_OUTCOMES),
        (paper.SEVERITY_WORDS, console.SEVERITIES),
        (casework.URGENCY_LABELS, console.URGENCIES),
    ],
    ids=["statuses", "referral kinds", "referral outcomes", "severities", "urgency"],
)
def test_paper_the_clinic_and_the_console_say_the_same_thing(
    on_paper: dict[Any, str], in_the_console: dict[Any, str]
) -> None:
    """The console's words (before translation) are the paper's: one wording, no drift."""
    assert on_paper == in_the_console


def test_the_drifted_words_are_settled() -> None:
    assert console.REFERRAL_KINDS["carers_support"] == "Carers' support"
    assert paper.REFERRAL_WORDS["carers_support"] == "Carers' support"
    assert console.REFERRAL_OUTCOMES["awaiting"] == "Awaiting reply"
    assert paper.OUTCOME_WORDS["awaiting"] == "Awaiting reply"


# ---------------------------------------------------------------- defined once


def _code_lists() -> dict[frozenset[str], str]:
    """Every list of two or more string codes in the vocabulary, by its members."""
    lists = {}
    for name, value in vars(codes).items():
        strings = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
        if name.isupper() and strings and len(value) > 1:
            lists[frozenset(value)] = name
    return lists


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _paths() -> dict[str, str]:
    """Every API path, with and without the prefix, its parameters as ``{}``."""
    paths = {codes.API_PREFIX: "API_PREFIX"}
    for name, value in vars(codes).items():
        if name.isupper() and isinstance(value, str) and value.startswith("/"):
            paths[_shape(value)] = name
            paths[_shape(codes.API_PREFIX + value)] = name
    return paths


def _modules() -> Iterator[Path]:
    for path in sorted(KIOSK.rglob("*.py")):
        if path.name != "vocabulary.py" and "migrations" not in path.parts:
            yield path


def _text_of(node: ast.AST) -> str | None:
    """A string literal, or an f-string with each placeholder as ``{}``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append("{}")
        return "".join(parts)
    return None


def redefinitions(source: str, where: str) -> list[str]:
    lists, paths = _code_lists(), _paths()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 1:
            members = [_text_of(e) for e in node.elts]
            if all(isinstance(e, ast.Constant) for e in node.elts) and None not in members:
                name = lists.get(frozenset(m for m in members if m is not None))
                if name is not None:
                    found.append(f"{where}:{node.lineno}: kiosk.vocabulary.{name} again")
        text = _text_of(node)
        if text is not None and _shape(text) in paths:
            found.append(f"{where}:{node.lineno}: kiosk.vocabulary.{paths[_shape(text)]} again")
    return found


def test_no_code_list_or_api_path_is_defined_outside_the_vocabulary() -> None:
    found = [
        problem
        for path in _modules()
        for problem in redefinitions(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == [], "import these from kiosk.vocabulary"


@pytest.mark.parametrize(
    "source",
    [
        'CLINICAL = {"clinician", "link_worker"}',
        'STATUSES = ("new", "in_review", "actioned", "no_action", "declined")',
        'choices = ["receptionist", "clinician", "link_worker", "administrator"]',
        'API = "/api/v1"',
        'client.get(f"/submissions/{sid}/triage")',
        'http.post(f"{base}/api/v1/auth/token")',
    ],
)
def test_the_redefinition_check_can_fail(source: str) -> None:
    assert redefinitions(source, "example.py") != []


def test_the_vocabulary_keeps_the_wire_values() -> None:
    """docs/staff-api.md, docs/sync-protocol.md and stored rows name these; never change."""
    assert codes.TRIAGE_STATUSES == ("new", "in_review", "actioned", "no_action", "declined")
    assert codes.REFERRAL_OUTCOMES == (
        "awaiting",
        "accepted",
        "declined",
        "attended",
        "did_not_attend",
        "closed",
    )
    assert "carers_support" in codes.REFERRAL_KINDS
    assert codes.ROLES == ("receptionist", "clinician", "link_worker", "administrator")
    assert set(codes.CASEWORKERS) == {"clinician", "link_worker"}
    assert codes.ACCOUNT_STATES == ("active", "disabled")
    assert codes.LINK_MODES == ("reception", "self_check_in", "anonymous")
    assert codes.URGENCY_LEVELS == (0, 1, 2, 3)
    assert codes.SEVERITIES == ("urgent", "high", "routine")
    assert codes.MAX_BATCH == 50
    assert codes.API_PREFIX + codes.SUBMISSIONS == "/api/v1/submissions"


@pytest.mark.parametrize(
    ("doc", "known"),
    [
        ("docs/staff-api.md", codes.TRIAGE_STATUSES),
        ("docs/staff-api.md", codes.REFERRAL_KINDS),
        ("docs/staff-api.md", codes.REFERRAL_OUTCOMES),
        ("docs/staff-api.md", codes.QUEUE_COUNTS),
        ("docs/clinic.md", codes.ROLES),
        ("docs/staff-api.md", codes.ACCOUNT_STATES),
        ("docs/configuration.md", codes.LINK_MODES),
    ],
)
def test_the_guides_name_every_code(doc: str, known: tuple[str, ...]) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert [code for code in known if f"`{code}`" not in text and f'"{code}"' not in text] == []
