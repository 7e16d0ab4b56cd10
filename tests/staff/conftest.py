"""The staff console's tests run against a real clinic service on 127.0.0.1 over
HTTPS, seeded through the real tablet path (``make_staff_clinic`` in
tests/conftest.py): ``staff_clinic`` is one on SQLite."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def staff_clinic(make_staff_clinic: Callable[..., object]) -> object:
    return make_staff_clinic()
