"""What the key-in screen works from, without a widget: the clinic's forms (its own
files, loaded into the same engine), each item with the answer codes the paper form
prints, and what a member of staff types turned into the answers the clinic checks.

Typing is kept forgiving and literal: a code in any case is that code, several codes
for a "tick all that apply" item are separated by commas or spaces, a number is a
number. Anything else is sent as typed, so the clinic's engine names the problem
beside its item instead of the console guessing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.engine import Form, form_from_text
from kiosk.engine.answers import option_codes
from kiosk.engine.errors import EngineError
from kiosk.engine.schema import Item

CHOICES = frozenset({"single_choice", "yes_no"})
NUMBERS = frozenset({"scale", "integer"})
_NUMBER = re.compile(r"^-?\d{1,12}$")
_SEPARATORS = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class EntryPathway:
    id: str
    title: str
    forms: tuple[str, ...]
    languages: tuple[str, ...]


class EntryForms:
    """The answer of ``GET /entry-forms``, its forms loaded into the engine."""

    def __init__(self, answer: Mapping[str, Any]) -> None:
        self.pathways = [
            EntryPathway(
                str(p["id"]),
                str(p.get("title") or p["id"]),
                tuple(str(f) for f in p.get("forms", ())),
                tuple(str(code) for code in p.get("languages", ())),
            )
            for p in answer.get("pathways", ())
        ]
        self.forms: dict[str, Form] = {}
        for form_id, sent in dict(answer.get("forms", {})).items():
            try:
                self.forms[str(form_id)] = form_from_text(str(sent["text"]), str(form_id))
            except (EngineError, KeyError, TypeError):
                continue  # a form this console cannot read: its pathways are left out
        self.pathways = [p for p in self.pathways if all(f in self.forms for f in p.forms)]

    def pathway(self, pathway_id: str) -> EntryPathway | None:
        return next((p for p in self.pathways if p.id == pathway_id), None)

    def forms_of(self, pathway_id: str) -> list[Form]:
        pathway = self.pathway(pathway_id)
        return [self.forms[f] for f in pathway.forms] if pathway else []


def questions(form: Form) -> list[Item]:
    """The items of a form that take an answer, in the paper form's order."""
    return [item for item in form.spec.items if item.type != "info"]


def choices(form: Form, item: Item, language: str = "en") -> list[tuple[str, str]]:
    """(code, words) of each answer the item offers, as the paper form prints them."""
    out = []
    for code in option_codes(item):
        try:
            words = form.option_text(item.id, code, language)
        except KeyError:
            words = code
        out.append((code, words))
    return out


def question_text(form: Form, item: Item, language: str = "en") -> str:
    try:
        return form.text(item.id, language)
    except KeyError:
        return item.id


def typed_answer(item: Item, text: str) -> Any:
    """What the clinic is sent for ``text`` typed at ``item``; None when left empty."""
    typed = text.strip()
    if not typed:
        return None
    codes = {code.casefold(): code for code in option_codes(item)}
    if item.type in CHOICES:
        return codes.get(typed.casefold(), typed)
    if item.type == "multi_choice":
        parts = [part for part in _SEPARATORS.split(typed) if part]
        return [codes.get(part.casefold(), part) for part in parts]
    if item.type in NUMBERS:
        if typed.casefold() in codes:  # "I don't want to answer", where offered
            return codes[typed.casefold()]
        return int(typed) if _NUMBER.match(typed) else typed
    return typed


def ticked(item: Item, text: str) -> list[str]:
    """The codes ``text`` ticks (none when it names no answer of the item)."""
    answer = typed_answer(item, text)
    offered = set(option_codes(item))
    given = answer if isinstance(answer, list) else [answer]
    return [code for code in given if isinstance(code, str) and code in offered]


def form_answers(form: Form, typed: Mapping[str, str]) -> dict[str, Any]:
    """A form's answers from the text typed at each item (item id -> text)."""
    answers = {}
    for item in questions(form):
        answer = typed_answer(item, typed.get(item.id, ""))
        if answer is not None:
            answers[item.id] = answer
    return answers


def asked(form: Form, answers: Mapping[str, Any]) -> set[str]:
    """The items skip logic asks, given the answers the engine accepts so far."""
    allowed = {}
    for item_id, raw in answers.items():
        try:
            if form.normalise(item_id, raw) is not None:
                allowed[item_id] = raw
        except EngineError:
            continue
    return set(form.evaluate(allowed, strict=False).enabled)
