"""Helpers for the engine tests: small inline forms written to tmp_path.

Every test form starts with the same header (HEADER, 7 lines), so a problem's
expected line can be computed from the YAML the test wrote: ``forms.line("needle")``
is the 1-based line of the only line of the last written file containing
``needle``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kiosk.engine import Form, FormError, Problem, load_form

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_FORMS = ROOT / "forms"

HEADER = """\
format: 1
id: test_form
version: "1.0"
title: {en: A test form}
source: {name: The test suite}
licence: {name: Written for the tests}
languages: {en: validated}
"""


def scale_item(item_id: str, low: int = 0, high: int = 10, extra: str = "") -> str:
    """A scale item in the ``items:`` list (no indentation to dedent), plus ``extra`` lines."""
    return (
        f"  - id: {item_id}\n"
        "    type: scale\n"
        f"    min: {low}\n"
        f"    max: {high}\n"
        "    anchors:\n"
        f"      - {{value: {low}, text: {{en: Not at all}}}}\n"
        f"      - {{value: {high}, text: {{en: Completely}}}}\n"
        f"    text: {{en: Scale item {item_id}}}\n"
        + textwrap.indent(textwrap.dedent(extra), "    ")
    )


class FormWriter:
    """Writes a form into a folder and loads it; remembers the last text written."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.text = ""
        self.path = folder / "form.yaml"

    def write(self, body: str, *, name: str = "form.yaml", header: bool = True) -> Path:
        """Write HEADER + dedented ``body`` (or just ``body`` with header=False)."""
        text = textwrap.dedent(body)
        if header:
            text = HEADER + text
        self.text = text
        self.path = self.folder / name
        self.path.write_text(text, encoding="utf-8")
        return self.path

    def load(self, body: str, **kwargs: object) -> Form:
        return load_form(self.write(body, **kwargs))  # type: ignore[arg-type]

    def problems(self, body: str, **kwargs: object) -> list[Problem]:
        """The problems of a form that must not load."""
        path = self.write(body, **kwargs)  # type: ignore[arg-type]
        with pytest.raises(FormError) as caught:
            load_form(path)
        assert caught.value.problems, "a FormError must list at least one problem"
        for problem in caught.value.problems:
            assert problem.path == str(path)
        return caught.value.problems

    def problem(self, body: str, **kwargs: object) -> Problem:
        """The one problem of a form that must not load."""
        problems = self.problems(body, **kwargs)
        assert len(problems) == 1, "\n".join(map(str, problems))
        return problems[0]

    def line(self, needle: str, occurrence: int = 1) -> int:
        """The line of the ``occurrence``-th line of the last text that contains ``needle``."""
        found = [n for n, line in enumerate(self.text.splitlines(), start=1) if needle in line]
        assert len(found) >= occurrence, f"{needle!r} is not in the form (x{occurrence})"
        if occurrence == 1:
            assert len(found) == 1, f"{needle!r} is on lines {found}; be more specific"
        return found[occurrence - 1]


@pytest.fixture
def forms(tmp_path: Path) -> FormWriter:
    folder = tmp_path / "forms"
    folder.mkdir()
    return FormWriter(folder)
