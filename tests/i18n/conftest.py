"""Shared fixtures for the translation tests: the Qt Linguist tools, a tablet store, the forms."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.engine import FormLibrary
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import TabletStore

ROOT = Path(__file__).resolve().parents[2]


def linguist_tool(name: str) -> str:
    """``pyside6-lupdate`` or ``pyside6-lrelease``: beside this Python, else on PATH."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found, f"{name} comes with PySide6; it should be installed"
    return found


@pytest.fixture(scope="session")
def lupdate() -> str:
    return linguist_tool("pyside6-lupdate")


@pytest.fixture(scope="session")
def lrelease() -> str:
    return linguist_tool("pyside6-lrelease")


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    return FormLibrary.load(ROOT / "forms")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TabletStore]:
    opened = TabletStore.open(tmp_path / "tablet", ClinicKeyPair.generate().public)
    yield opened
    opened.close()
