"""Export staging, without a window: a set of files arrives whole, or none of it does."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.console.export_staging import (
    INCOMING,
    PROJECT_NAME,
    anonymised_names,
    deliver_all,
    deliver_one,
)

pytestmark = [pytest.mark.staff, pytest.mark.export]


def writer(text: str):
    def download(path: Path) -> int:
        path.write_text(text, encoding="utf-8")
        assert path.name.endswith(INCOMING)  # nothing under its final name before the end
        return len(text)

    return download


def broken(path: Path) -> int:
    path.write_text("half", encoding="utf-8")
    raise OSError("disk full")


def test_every_file_is_renamed_into_place_once_all_arrived(tmp_path: Path) -> None:
    written = deliver_all(tmp_path, {"a.csv": writer("one"), "b.md": writer("three")})
    assert written == [("a.csv", 3), ("b.md", 5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.md"]
    assert (tmp_path / "b.md").read_text(encoding="utf-8") == "three"


def test_one_failure_leaves_nothing_and_older_files_as_they_were(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("last week's", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"):
        deliver_all(tmp_path, {"a.csv": writer("new"), "b.md": broken, "c.csv": writer("x")})
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "last week's"


def test_a_single_file_is_named_with_its_size() -> None:
    assert deliver_one("report.pdf", lambda: 1234) == [("report.pdf", 1234)]


def test_the_anonymised_set_names_its_three_files() -> None:
    assert anonymised_names("wb-2026", free_text=False) == [
        "wb-2026-anonymised.csv",
        "wb-2026-dictionary.md",
        "appointments.csv",
    ]
    assert anonymised_names("wb-2026", free_text=True)[0] == "wb-2026-anonymised-free-text.csv"


@pytest.mark.parametrize("name", ["wellbeing-2026", "a", "A.b_c-1", "x" * 64])
def test_project_names_that_can_be_part_of_a_file_name(name: str) -> None:
    assert PROJECT_NAME.fullmatch(name)


@pytest.mark.parametrize("name", ["", "-lead", ".hidden", "a/b", "../up", "x" * 65, "a b"])
def test_project_names_that_cannot(name: str) -> None:
    assert not PROJECT_NAME.fullmatch(name)
