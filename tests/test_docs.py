"""The documentation stays honest: everything a form author can write is described."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from kiosk.cli.main import build_parser
from kiosk.engine import expressions, schema

ROOT = Path(__file__).resolve().parents[1]
FORMS_DOC = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _documented(word: str) -> bool:
    return f"`{word}`" in FORMS_DOC or f"`{word}:" in FORMS_DOC or f"{word}(" in FORMS_DOC


@pytest.mark.parametrize("item_type", schema.ITEM_TYPES)
def test_every_item_type_is_documented(item_type: str) -> None:
    assert f"| `{item_type}` |" in FORMS_DOC


@pytest.mark.parametrize("kind", schema.SCORE_KINDS)
def test_every_score_kind_is_documented(kind: str) -> None:
    assert f"| `{kind}` |" in FORMS_DOC


@pytest.mark.parametrize("function", sorted(expressions.FUNCTIONS))
def test_every_expression_function_is_documented(function: str) -> None:
    assert f"{function}(" in FORMS_DOC


def _all_keys() -> list[str]:
    keys: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not schema.Strict:
            keys.update(obj.model_fields)
    return sorted(keys)


@pytest.mark.parametrize("key", _all_keys())
def test_every_key_of_the_file_format_is_documented(key: str) -> None:
    assert _documented(key), f"docs/forms.md does not describe the key '{key}'"


def _forms_actions() -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    forms = commands.choices["forms"]  # type: ignore[index]
    actions = next(a for a in forms._actions if a.dest == "forms_command")
    return sorted(actions.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("action", _forms_actions())
def test_every_forms_command_is_documented(action: str) -> None:
    assert f"kiosk forms {action}" in FORMS_DOC


def test_readme_opens_with_the_two_setup_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make run", "make test"]
    assert README.index("```sh") < README.index("## ")


@pytest.mark.parametrize("which", ["form", "pathways"])
def test_published_json_schema_is_current(which: str) -> None:
    """docs/schema/*.json is what `kiosk forms schema` prints (regenerate it if not)."""
    model = schema.FormSpec if which == "form" else schema.PathwaysSpec
    published = json.loads((ROOT / "docs" / "schema" / f"{which}.schema.json").read_text())
    assert published == model.model_json_schema(), (
        f"run: kiosk forms schema {which} > docs/schema/{which}.schema.json"
    )
