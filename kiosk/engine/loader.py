"""Read a form or pathway file, check it, and build a :class:`Form`.

Every fault in a file is reported at once, each as ``PATH:LINE: message``
(a :class:`FormError` holding :class:`Problem` objects). A file that loads
has passed every check, so the rest of the product can trust it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from kiosk.engine import schema
from kiosk.engine.checks import check_form
from kiosk.engine.errors import FormError, Problem
from kiosk.engine.facts import without_facts
from kiosk.engine.form import Form
from kiosk.engine.schema import FormSpec, PathwaysSpec
from kiosk.engine.yamllimits import MAX_FILE_BYTES
from kiosk.engine.yamlsource import Located, YamlProblems, load_yaml

Model = TypeVar("Model", bound=BaseModel)


def read_text(path: Path, label: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FormError([Problem(label, 1, f"file is {size} bytes; forms are under 2 MB")])
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FormError([Problem(label, 1, f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise FormError([Problem(label, 1, f"cannot read file: {exc.strerror or exc}")]) from None


def load_form(path: Path | str, label: str | None = None) -> Form:
    """Load and check one form file. Raises FormError listing every problem."""
    path = Path(path)
    label = label or str(path)
    return form_from_text(read_text(path, label), label, path)


def form_from_text(text: str, label: str, path: Path | None = None) -> Form:
    located = parse_located(text, label)
    spec = validate_shape(located, FormSpec)
    spec, symbols, problems = check_form(spec, located)
    if problems:
        raise FormError(problems)
    return Form(
        spec=spec,
        hash=content_hash(spec),
        path=path,
        symbols=symbols,
        lines=located.lines,
        earlier_hash=content_hash(without_facts(spec)),
    )


def load_pathways(path: Path | str, label: str | None = None) -> tuple[PathwaysSpec, Located]:
    """Load a pathways file (shape only; the library checks the form ids)."""
    path = Path(path)
    label = label or str(path)
    located = parse_located(read_text(path, label), label)
    spec = validate_shape(located, PathwaysSpec)
    seen: set[str] = set()
    problems = []
    for index, pathway in enumerate(spec.pathways):
        if pathway.id in seen:
            problems.append(
                located.problem(("pathways", index, "id"), f"duplicate pathway '{pathway.id}'")
            )
        seen.add(pathway.id)
    if problems:
        raise FormError(problems)
    return spec, located


def parse_located(text: str, label: str) -> Located:
    try:
        located = load_yaml(text, label)
    except YamlProblems as exc:
        raise FormError(exc.problems) from None
    if not isinstance(located.value, dict):
        raise FormError([Problem(label, 1, "the file must be a YAML mapping of keys to values")])
    return located


def content_hash(spec: FormSpec) -> str:
    """sha256 of the definition's canonical JSON: comments and layout do not count."""
    canonical = json.dumps(
        spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- shape errors


def validate_shape(located: Located, model: type[Model]) -> Model:
    try:
        return model.model_validate(located.value)
    except pydantic.ValidationError as exc:
        problems = [_problem(located, error) for error in exc.errors()]
        raise FormError(list(dict.fromkeys(problems))) from None


def _real_path(value: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Pydantic's error location, minus the parts that are not keys in the file."""
    path: list[str | int] = []
    for part in loc:
        in_dict = isinstance(value, dict) and part in value
        in_list = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        if in_dict or in_list:
            path.append(part)
            value = value[part]
        elif isinstance(part, str) and (_is_tag(part) or not isinstance(value, dict)):
            continue  # pydantic's name for a union member (int, float, ...), not a key
        elif isinstance(part, str):
            # a missing key: keep it so the message can name it
            path.append(part)
            break
    return tuple(path)


def _is_tag(part: str) -> bool:
    return part in schema.SCORE_KINDS or part == "[key]"


def _where(value: Any, path: tuple[str | int, ...]) -> str:
    """``items[ends_meet].options[2]``: a readable name for a place in the file."""
    out = ""
    for part in path:
        if isinstance(part, int) and isinstance(value, list):
            element = value[part]
            ident = element.get("id") if isinstance(element, dict) else None
            out += f"[{ident}]" if isinstance(ident, str) else f"[{part + 1}]"
            value = element
        else:
            out += f".{part}" if out else str(part)
            value = value.get(part) if isinstance(value, dict) else None
    return out


def _problem(located: Located, error: Any) -> Problem:
    loc = tuple(error["loc"])
    path = _real_path(located.value, loc)
    kind = error["type"]
    key = path[-1] if path else ""
    where = _where(located.value, path[:-1] if kind in ("missing", "extra_forbidden") else path)
    prefix = f"{where}: " if where else ""
    value = error.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key '{key}'{_suggest(str(key))}"
    elif kind == "missing":
        message = f"'{key}' is missing"
    elif kind == "union_tag_invalid":
        kinds = ", ".join(schema.SCORE_KINDS)
        message = f"unknown score kind {error['ctx']['tag']!r} (known: {kinds})"
    elif kind == "union_tag_not_found":
        message = "'kind' is missing"
    elif kind == "literal_error" and key == "type":
        message = f"unknown item type {value!r} (known: {', '.join(schema.ITEM_TYPES)})"
    elif kind == "literal_error":
        message = f"{value!r} is not allowed here; expected {error['ctx']['expected']}"
    elif kind == "string_pattern_mismatch" and key == "version":
        message = f"{value!r} must look like 1, 1.0 or 1.0.2"
    elif kind == "string_pattern_mismatch":
        message = f"{value!r} is not a valid {_what(key)}"
    elif kind == "string_type" and key == "version":
        message = "must be text in quotes, e.g. version: '1.0'"
    else:
        message = error["msg"][0].lower() + error["msg"][1:]
    # An unknown score kind is a fault of the kind: line, not of the score as a whole.
    line = located.line_of((*path, "kind") if kind == "union_tag_invalid" else path)
    return Problem(located.path, line, prefix + message)


def _what(key: str | int) -> str:
    if key in ("id", "form", "of", "followup") or key == "forms":
        return "id (lower case letters, digits and _, starting with a letter)"
    if key == "code":
        return "code (letters, digits, _ or -)"
    return "value here"


def _known_keys() -> set[str]:
    keys: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            keys.update(obj.model_fields)
    return keys


_KNOWN_KEYS = _known_keys()


def _suggest(key: str) -> str:
    close = difflib.get_close_matches(key, _KNOWN_KEYS, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
