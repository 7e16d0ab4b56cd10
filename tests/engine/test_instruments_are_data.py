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

from kiosk.engine import FormLibrary
from kiosk.engine.schema import ITEM_TYPES

ROOT = Path(__file__).resolve().parents[2]
KIOSK = ROOT / "kiosk"

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
    "kiosk/reports/board/figures.py": {"screen_positive", "wants_help"},
    "kiosk/reports/board/wording.py": {"wants_help"},
    "kiosk/reports/board/equity.py": {"wants_help"},
    # the staff API's summary keys (docs/staff-api.md), and their readers
    "kiosk/clinic/summary.py": {"what_matters", "questions_to_ask"},
    "kiosk/ui/staff/summary_view.py": {"what_matters", "questions_to_ask"},
    "kiosk/reports/summary.py": {"what_matters", "questions_to_ask"},
    # (and a key of the take-away sheet's text: the "intro" paragraph)
    "kiosk/reports/takeaway.py": {"what_matters", "questions_to_ask", "intro"},
    # the queue's counts in the staff API (defined in kiosk.vocabulary)
    "kiosk/vocabulary.py": {"wants_help"},
    "kiosk/clinic/casework.py": {"wants_help"},
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


def test_every_same_word_is_still_used() -> None:
    """Each word let through is still written in one of the files listed for it."""
    used: dict[str, set[str]] = {}
    for name, words in SAME_WORD.items():
        path = ROOT / name
        literals = {text for _, text in _literals(path)} if path.exists() else set()
        for word in words:
            used.setdefault(word, set())
            if word in literals:
                used[word].add(name)
    assert not [word for word, files in used.items() if not files]
