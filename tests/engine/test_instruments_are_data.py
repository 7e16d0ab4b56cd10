"""Instruments are data: no Python names a form, item, score or flag of forms/*.yaml.

What the code needs to know about a questionnaire is declared in its form file
(docs/forms.md, "Facts the product reads") and read through the engine
(kiosk/engine/facts.py). This test collects every id the shipped forms use and
fails if one appears as a whole string literal in kiosk/**/*.py (migrations are
history and are left alone).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from kiosk.engine import FormLibrary
from kiosk.engine.schema import ITEM_TYPES

ROOT = Path(__file__).resolve().parents[2]
KIOSK = ROOT / "kiosk"

# Files being restructured elsewhere (the clinic service, its casework and the
# kiosk window): each still names an instrument, and the API to use instead is in
# place. Empty this list as they move over; service.py, staff.py, app.py, intake.py
# and kiosk_window.py name none any more.
NOT_YET_DATA = {
    # urgency_of's WANTS_HELP_FLAG (moved here from service.py): a flag is a help
    # request when its form says so: clinic.summary.help_flags(library), or
    # RaisedFlag.category == kiosk.engine.facts.HELP_REQUEST when re-scoring
    "kiosk/clinic/scoring.py",
    # the queue's "wants_help" count: clinic.summary.help_flags(library)
    "kiosk/clinic/casework.py",
}

# Readers of the staff API that still map what it sends by id, until it sends the
# words too: a flag's "word" (clinic/summary.flag_words, attached by casework), and
# labels for the essentials. Each entry says what it waits for.
WAITING_FOR_THE_API = {
    # FLAG_WORDS stands in while a flag arrives without its "word"
    "kiosk/ui/staff/words.py",
    # essentials are keyed by item id, labelled here; what_matters forms shown apart
    "kiosk/ui/staff/summary_view.py",
    "kiosk/reports/summary.py",
    # the take-away sheet words each own-words question in the sheet's language
    "kiosk/reports/takeaway.py",
}

# The same word with another meaning: a name in one of the product's own
# documented formats (docs/exports.md, docs/staff-api.md) or a plain English word,
# which happens to equal an id. Each entry says which words and why.
SAME_WORD = {
    # the anonymised CSV's fixed columns (docs/exports.md), derived from declared facts,
    # and their meanings in its data dictionary
    "kiosk/clinic/exports/csv_rows.py": {"sex", "ethnicity", "screen_positive", "wants_help"},
    "kiosk/clinic/exports/dictionary.py": {"sex", "ethnicity", "screen_positive", "wants_help"},
    # the board report reads those CSV columns
    "kiosk/reports/board/compute.py": {"screen_positive", "wants_help"},
    "kiosk/reports/board/wording.py": {"wants_help"},
    "kiosk/reports/board/equity.py": {"wants_help"},
    # the staff API's summary keys (docs/staff-api.md)
    "kiosk/clinic/summary.py": {"what_matters", "questions_to_ask"},
    # the queue's counts in the staff API
    "kiosk/ui/staff/queue_view.py": {"wants_help"},
    # the hospital's clinic list has an ethnicity column of its own (the module is
    # moving from kiosk/store to kiosk/exchange as this is written)
    "kiosk/store/clinic_list.py": {"ethnicity"},
    "kiosk/exchange/clinic_list.py": {"ethnicity"},
    # a key of the take-away sheet's text ("intro" paragraph)
    "kiosk/reports/sheet_text.py": {"intro"},
    # random words for invented free text
    "kiosk/engine/sample.py": {"pain"},
}


def _shipped_ids() -> dict[str, str]:
    """Every id in forms/*.yaml -> what it is (``item of ons4``, ...)."""
    library = FormLibrary.load(ROOT / "forms")
    ids: dict[str, str] = {}
    for form in library.forms():
        ids.setdefault(form.id, "form")
        for item in form.spec.items:
            ids.setdefault(item.id, f"item of {form.id}")
        for score in form.spec.scores:
            ids.setdefault(score.id, f"score of {form.id}")
        for flag in form.spec.flags:
            ids.setdefault(flag.id, f"flag of {form.id}")
    # An item type is the engine's own vocabulary (an item may be called after its type).
    for word in ITEM_TYPES:
        ids.pop(word, None)
    return ids


def _python_files() -> Iterator[tuple[str, Path]]:
    """(name from the repository root, path) of every module but the migrations."""
    for path in sorted(KIOSK.rglob("*.py")):
        if "migrations" not in path.relative_to(KIOSK).parts:
            yield path.relative_to(ROOT).as_posix(), path


def _literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def instrument_names_in_code(
    ids: dict[str, str], files: Iterable[tuple[str, Path]] | None = None
) -> list[str]:
    found = []
    for name, path in _python_files() if files is None else files:
        if name in NOT_YET_DATA or name in WAITING_FOR_THE_API:
            continue
        allowed = SAME_WORD.get(name, set())
        for line, text in _literals(path):
            if text in ids and text not in allowed:
                found.append(f"{name}:{line}: '{text}' ({ids[text]})")
    return found


def test_no_python_names_an_instrument() -> None:
    found = instrument_names_in_code(_shipped_ids())
    assert not found, (
        "declare the fact in the form and read it through kiosk.engine.facts:\n" + "\n".join(found)
    )


def test_the_check_finds_a_name_put_back(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text('"""A module."""\n\nHELP = "wants_help"\n', encoding="utf-8")
    files = [*_python_files(), ("kiosk/reports/planted.py", planted)]
    found = instrument_names_in_code(_shipped_ids(), files)
    assert found == ["kiosk/reports/planted.py:3: 'wants_help' (item of social_welfare)"]


@pytest.mark.parametrize("name", sorted(WAITING_FOR_THE_API))
def test_every_waiting_file_still_waits(name: str) -> None:
    """A file that names no instrument any more leaves the list, so the lists only shrink."""
    literals = {text for _, text in _literals(ROOT / name)}
    assert literals & set(_shipped_ids()), f"{name} names no instrument now: drop it"


def test_every_same_word_is_still_used() -> None:
    """Each word let through is still written in one of the files listed for it.
    (NOT_YET_DATA is left out: those files are moving as this is written.)"""
    used: dict[str, set[str]] = {}
    for name, words in SAME_WORD.items():
        path = ROOT / name
        literals = {text for _, text in _literals(path)} if path.exists() else set()
        for word in words:
            used.setdefault(word, set())
            if word in literals:
                used[word].add(name)
    assert not [word for word, files in used.items() if not files]
