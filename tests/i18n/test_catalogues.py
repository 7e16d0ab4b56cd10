"""The Qt Linguist files in i18n/: complete, consistent, current and compiled.

Each shipped language has ``kiosk_<code>.ts`` (what translators edit), its
compiled ``kiosk_<code>.qm`` (what the kiosk loads) and a review status in
``status.toml``. ``make translations`` keeps them in step; these tests fail
when someone forgot to run it, or left a string untranslated.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.i18n

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "i18n"
STATUS = tomllib.loads((I18N / "status.toml").read_text(encoding="utf-8"))
STATUSES = ("draft", "validated")
# The shipped languages, as `make translations` updates them.
MAKEFILE_LANGUAGES = re.search(
    r"^TRANSLATIONS\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M
)
LANGUAGES = sorted(p.stem.removeprefix("kiosk_") for p in I18N.glob("kiosk_*.ts"))
# The same options as the Makefile's `translations` target.
LUPDATE_OPTIONS = ["-silent", "-no-obsolete", "-locations", "none"]
LRELEASE_OPTIONS = ["-silent", "-nounfinished"]

PLACEHOLDER = re.compile(r"%L?(?:[1-9]\d?|n)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    kind: str  # the translation's type attribute: "" when finished

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.source


def messages(ts: Path) -> list[Message]:
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, f"{ts.name}: {name}: a message without <translation>"
            found.append(
                Message(
                    name,
                    message.findtext("source", ""),
                    translation.text or "",
                    translation.get("type", ""),
                )
            )
    return found


def mnemonics(text: str) -> int:
    """How many '&' mark a shortcut letter ('&&' is a literal ampersand)."""
    return text.replace("&&", "").count("&")


def test_the_shipped_languages_agree_everywhere() -> None:
    """The Makefile, the .ts and .qm files and status.toml name the same languages."""
    assert MAKEFILE_LANGUAGES is not None, "the Makefile has no TRANSLATIONS := list"
    assert sorted(MAKEFILE_LANGUAGES.group(1).split()) == LANGUAGES
    assert sorted(p.stem.removeprefix("kiosk_") for p in I18N.glob("kiosk_*.qm")) == LANGUAGES
    assert sorted(STATUS["languages"]) == LANGUAGES
    assert {"cy", "pl", "ur", "bn", "ar"} <= set(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_is_translated_and_its_review_status_recorded(code: str) -> None:
    assert STATUS["languages"].get(code) in STATUSES, (
        f"i18n/status.toml: give {code} a status, one of {STATUSES}"
    )
    found = messages(I18N / f"kiosk_{code}.ts")
    assert found, f"kiosk_{code}.ts has no strings"
    missing = [m.source for m in found if not m.translation.strip() or m.kind]
    assert not missing, f"kiosk_{code}.ts: not translated (or not finished): {missing}"


def test_the_status_file_says_what_a_draft_is() -> None:
    assert "draft" in STATUS["note"] and "qualified translator" in STATUS["note"]


@pytest.mark.control("H-06-C4")
@pytest.mark.parametrize("code", LANGUAGES)
def test_placeholders_and_mnemonics_survive_translation(code: str) -> None:
    problems = []
    for message in messages(I18N / f"kiosk_{code}.ts"):
        source, translated = message.source, message.translation
        if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(translated)):
            problems.append(f"placeholders differ: {source!r} -> {translated!r}")
        if mnemonics(source) != mnemonics(translated):
            problems.append(f"'&' shortcuts differ: {source!r} -> {translated!r}")
    assert not problems, "\n".join(problems)


def test_the_placeholder_check_can_fail() -> None:
    assert Counter(PLACEHOLDER.findall("Question %1 of %2")) != Counter(
        PLACEHOLDER.findall("Cwestiwn %1 o 2")
    )
    assert Counter(PLACEHOLDER.findall("%L1 %n")) == Counter(PLACEHOLDER.findall("%n %L1"))
    assert mnemonics("&Next") != mnemonics("Nesaf") and mnemonics("A && B") == 0


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_qm_file_is_current(code: str, lrelease: str, tmp_path: Path) -> None:
    """The committed .qm is exactly what lrelease makes of the committed .ts."""
    fresh = tmp_path / f"kiosk_{code}.qm"
    subprocess.run(
        [lrelease, *LRELEASE_OPTIONS, str(I18N / f"kiosk_{code}.ts"), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert fresh.read_bytes() == (I18N / f"kiosk_{code}.qm").read_bytes(), (
        f"i18n/kiosk_{code}.qm is out of date with its .ts: run `make translations`"
    )


def test_the_ts_files_hold_every_tr_string_of_the_patient_kiosk(
    lupdate: str, tmp_path: Path
) -> None:
    """lupdate over kiosk/ui/*.py (not the staff console) finds nothing new and nothing gone."""
    copies = []
    for code in LANGUAGES:
        copies.append(tmp_path / f"kiosk_{code}.ts")
        shutil.copy(I18N / f"kiosk_{code}.ts", copies[-1])
    sources = sorted(str(p) for p in (ROOT / "kiosk" / "ui").glob("*.py"))
    subprocess.run(
        [lupdate, *LUPDATE_OPTIONS, *sources, "-ts", *map(str, copies)],
        check=True,
        capture_output=True,
    )
    for copy in copies:
        committed = {m.key for m in messages(I18N / copy.name)}
        updated = messages(copy)
        new = sorted({m.key for m in updated} - committed)
        gone = sorted(committed - {m.key for m in updated})
        unfinished = sorted(m.key for m in updated if m.kind)
        assert not (new or gone or unfinished), (
            f"i18n/{copy.name} is behind kiosk/ui/*.py: run `make translations` and translate "
            f"the new strings. New: {new}; no longer used: {gone}; unfinished: {unfinished}"
        )


def test_the_coverage_check_can_fail(lupdate: str, tmp_path: Path) -> None:
    """A tr() string missing from a .ts comes back from lupdate as new and unfinished."""
    screen = tmp_path / "screen.py"
    screen.write_text(
        "from PySide6.QtWidgets import QWidget\n\n"
        "class Screen(QWidget):\n"
        "    def words(self):\n"
        "        return self.tr('Next'), self.tr('A string nobody translated')\n",
        encoding="utf-8",
    )
    ts = tmp_path / "kiosk_cy.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="cy">\n'
        "<context><name>Screen</name><message><source>Next</source>"
        "<translation>Nesaf</translation></message></context>\n</TS>\n",
        encoding="utf-8",
    )
    subprocess.run(
        [lupdate, *LUPDATE_OPTIONS, str(screen), "-ts", str(ts)], check=True, capture_output=True
    )
    unfinished = [m.source for m in messages(ts) if m.kind]
    assert unfinished == ["A string nobody translated"]
