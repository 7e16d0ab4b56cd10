"""The staff console's tests run against a real clinic service on 127.0.0.1 over
HTTPS, seeded through the real tablet path (``make_staff_clinic`` in
tests/conftest.py): ``staff_clinic`` is one on SQLite, and ``consoles`` opens console
windows on it (a test file with a clinic of its own overrides ``consoles``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles


@pytest.fixture
def staff_clinic(make_staff_clinic: Callable[..., object]) -> object:
    return make_staff_clinic()


@pytest.fixture
def consoles(qtbot: object, staff_clinic: object) -> Iterator[Consoles]:
    made = Consoles(qtbot, staff_clinic)
    yield made
    made.close()
