"""Shared fixtures for the instrument tests: the shipped forms, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.engine import FormLibrary

FORMS_DIR = Path(__file__).parents[2] / "forms"


@pytest.fixture(scope="session")
def library() -> FormLibrary:
    """Every shipped form and pathway, checked exactly as the kiosk loads them."""
    return FormLibrary.load(FORMS_DIR)
