"""The questionnaire engine: load and check forms, skip logic, scoring, flags.

Pure Python. No Qt, no database, no network (an import-linter contract in
pyproject.toml keeps it so). The tablet and the clinic both score with it.

Known errors carry a plain message that says what was wrong and where (form
problems as ``PATH:LINE: message``); anything else escaping the engine is a bug::

    kiosk.errors.KnownError
    └── EngineError               (kiosk.engine.errors)
        ├── FormError             a form or pathway file is invalid (one Problem per fault)
        ├── AnswerError           an answer the form does not allow (names the item)
        ├── UnknownFormError      no form with that id (and version)
        ├── LicenceRequiredError  the form needs a site licence reference first
        ├── ExpressionError       a condition that cannot be parsed (``column``); the
        │                         checks report it as a FormError, FHIR export keeps
        │                         the condition as text
        ├── LimitExceeded         a form file over the size, depth or anchor limits
        │                         (internal: the loader reports it as a FormError)
        └── YamlProblems          YAML that cannot be read (internal: the loader
                                  reports it as a FormError)
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
