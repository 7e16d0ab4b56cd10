"""Random valid responses, for simulation, benchmarks and property tests.

Each item is answered (or skipped) at random within what the form allows; skip
logic is then applied, so answers to questions that would not be asked are
dropped, exactly as the kiosk would.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import string
from collections.abc import Mapping
from typing import Any

from kiosk.engine.answers import (
    PREFER_NOT,
    Answer,
    allows_prefer_not,
    date_bound,
    max_length,
    option_codes,
)
from kiosk.engine.errors import AnswerError
from kiosk.engine.form import Form
from kiosk.engine.schema import Item

_WORDS = (
    "pain", "sleep", "walking", "stairs", "money", "family", "work", "breathing", "tired",
    "worry", "doctor", "medicine", "garden", "grandchildren", "dog", "church", "bus",
    "shopping", "cooking",
)  # fmt: skip
_OUTWARD_FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"
_OUTWARD_SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def random_answers(
    form: Form,
    rng: random.Random,
    *,
    skip: float = 0.1,
    prefer_not: float = 0.05,
    baseline: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> dict[str, Answer]:
    """A random response that ``form.evaluate(..., strict=True)`` accepts."""
    today = today or dt.date.today()
    raw: dict[str, Answer] = {}
    for item in form.spec.items:
        if item.type == "info" or rng.random() < skip:
            continue
        if allows_prefer_not(item) and rng.random() < prefer_not:
            raw[item.id] = PREFER_NOT
            continue
        value = random_answer(item, rng, today)
        if value is not None:
            raw[item.id] = value
    return dict(form.evaluate(raw, baseline=baseline, strict=False, today=today).answers)


def random_answer(item: Item, rng: random.Random, today: dt.date) -> Answer | None:
    kind = item.type
    if kind in ("single_choice", "yes_no"):
        return rng.choice([c for c in option_codes(item) if c != PREFER_NOT])
    if kind == "multi_choice":
        options = item.options or []
        ordinary = [o.code for o in options if not o.exclusive]
        exclusive = [o.code for o in options if o.exclusive]
        if exclusive and (not ordinary or rng.random() < 0.2):
            return [rng.choice(exclusive)]
        return rng.sample(ordinary, rng.randint(1, len(ordinary)))
    if kind == "scale":
        assert item.min is not None and item.max is not None
        return rng.randint(item.min, item.max)
    if kind == "integer":
        rule = item.validation
        floor = rule.min if rule and isinstance(rule.min, int | float) else None
        ceiling = rule.max if rule and isinstance(rule.max, int | float) else None
        low = (
            math.ceil(floor)
            if floor is not None
            else (math.floor(ceiling) - 100 if ceiling is not None else 0)
        )
        high = math.floor(ceiling) if ceiling is not None else low + 100
        return rng.randint(low, high) if low <= high else None
    if kind in ("short_text", "long_text"):
        if item.validation is not None and item.validation.pattern is not None:
            return None  # cannot invent text to match an arbitrary pattern
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 30)))
        return words[: max_length(item)].strip() or "pain"
    if kind == "date":
        rule = item.validation
        latest = date_bound(rule.max if rule else None, today)
        earliest = date_bound(rule.min if rule else None, today) or (
            (latest or today) - dt.timedelta(days=36500)
        )
        latest = latest or max(today, earliest)
        if latest < earliest:
            return None  # e.g. min: today, max: a past date: no answer is possible today
        return (earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))).isoformat()
    if kind == "nhs_number":
        return random_nhs_number(rng)
    if kind == "postcode":
        return random_postcode(rng)
    raise AnswerError(item.id, "unknown_type", f"cannot invent an answer for type {kind}")


def random_nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def random_postcode(rng: random.Random) -> str:
    area = rng.choice(_OUTWARD_FIRST) + rng.choice(["", rng.choice(_OUTWARD_SECOND)])
    district = str(rng.randint(1, 9)) + rng.choice(["", str(rng.randint(0, 9))])
    inward = str(rng.randint(0, 9)) + "".join(rng.choice(_INWARD) for _ in range(2))
    return f"{area}{district} {inward}"


def random_text(rng: random.Random, length: int) -> str:
    """Any printable text (for hostile-input tests): letters, digits, punctuation, space."""
    alphabet = string.ascii_letters + string.digits + string.punctuation + " éßø中文"
    return "".join(rng.choice(alphabet) for _ in range(length))
