"""The questionnaire engine: load and check forms, skip logic, scoring, flags.

Pure Python. No Qt, no database, no network (an import-linter contract in
pyproject.toml keeps it so). The tablet and the clinic both score with it.
"""

from kiosk.engine.errors import (
    AnswerError,
    EngineError,
    FormError,
    LicenceRequiredError,
    Problem,
    UnknownFormError,
)
from kiosk.engine.form import Form, RaisedFlag, ScoredResponse
from kiosk.engine.library import FormLibrary, check_paths
from kiosk.engine.loader import form_from_text, load_form

__all__ = [
    "AnswerError",
    "EngineError",
    "Form",
    "FormError",
    "FormLibrary",
    "LicenceRequiredError",
    "Problem",
    "RaisedFlag",
    "ScoredResponse",
    "UnknownFormError",
    "check_paths",
    "form_from_text",
    "load_form",
]
