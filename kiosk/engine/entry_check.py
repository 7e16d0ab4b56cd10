"""Every problem with a whole response keyed in by staff, not only the first.

A tablet checks each answer as the patient gives it, one screen at a time. A
completed paper form is keyed in at once, so whoever types it in wants every
problem in one go, each beside its item: an answer the item does not allow, an
answer to a question skip logic does not ask (with the other answers given),
and, on a complete entry, a required question left empty. The staff console
runs this to show the problems; the clinic runs the same function before it
stores the entry, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.engine.errors import AnswerError
from kiosk.engine.form import Form

REQUIRED = "required"
DISABLED = "disabled"
UNKNOWN_FORM = "unknown_form"


@dataclass(frozen=True)
class EntryProblem:
    """One problem: the form, the item (None for the form as a whole) and the engine's
    reason code, with plain English words naming them."""

    form_id: str
    item_id: str | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"form '{self.form_id}'" + (f", item '{self.item_id}'" if self.item_id else "")
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form_id,
            "item": self.item_id,
            "code": self.code,
            "message": self.message,
        }


def form_problems(
    form: Form,
    answers: Mapping[str, Any],
    *,
    complete: bool,
    today: dt.date | None = None,
) -> list[EntryProblem]:
    """Every problem with one form's answers, in the form's item order."""
    problems: dict[str, EntryProblem] = {}
    allowed: dict[str, Any] = {}
    for item_id, raw in answers.items():
        try:
            if form.normalise(item_id, raw, today=today) is not None:
                allowed[item_id] = raw
        except AnswerError as exc:
            problems[item_id] = EntryProblem(form.id, exc.item_id, exc.code, exc.message)
    enabled = set(form.evaluate(allowed, strict=False, today=today).enabled)
    for item_id in allowed:
        if item_id not in enabled:
            problems[item_id] = EntryProblem(
                form.id,
                item_id,
                DISABLED,
                "was answered, but with the other answers given this question is not asked",
            )
    if complete:
        for item in form.spec.items:
            if item.required and item.id in enabled and item.id not in answers:
                problems[item.id] = EntryProblem(
                    form.id, item.id, REQUIRED, "needs an answer on a complete form"
                )
    order = {item.id: position for position, item in enumerate(form.spec.items)}
    return sorted(problems.values(), key=lambda p: order.get(p.item_id or "", len(order)))


def entry_problems(
    forms: Mapping[str, Form],
    answers: Mapping[str, Mapping[str, Any]],
    *,
    complete: bool,
    today: dt.date | None = None,
) -> list[EntryProblem]:
    """Every problem with a pathway's answers (``forms`` in the pathway's order)."""
    problems = [
        EntryProblem(form_id, None, UNKNOWN_FORM, "is not a form of this pathway")
        for form_id in answers
        if form_id not in forms
    ]
    for form_id, form in forms.items():
        problems += form_problems(form, answers.get(form_id, {}), complete=complete, today=today)
    return problems
