"""A form's ``enable_when`` condition as FHIR R4 ``Questionnaire.item.enableWhen``.

FHIR can say "all of these" or "any of these" simple tests, each on one
question: ``exists``, ``=``, ``!=``, ``<``, ``<=``, ``>``, ``>=``. A condition
is translated when it comes down to one such flat list:

- ``item = 'code'`` and ``item != 'code'`` (also ``in`` / ``not in``), as
  ``answerCoding`` on choice items and scales (whose points are codings);
- ``answered(item)`` as ``exists true``, ``not answered(item)`` as ``exists false``;
- numbers on an ``integer`` item as ``answerInteger``; on a scale, a number
  comparison becomes the list of points that satisfy it;
- ``includes(item, 'a', 'b')`` as ``= a`` or ``= b`` (``=`` matches any of the
  answers of a repeating question);
- ``band(item) = 'x'`` on a scale (its points in the band) or on an integer
  item (``>= min`` and ``<= max``);
- ``flagged(f)`` and ``any_flag()`` by putting each flag's own condition in
  its place;
- ``not`` by De Morgan's rules, and ``and`` / ``or`` as ``enableBehavior``
  ``all`` / ``any`` when the result stays flat.

FHIR's ``!=`` is "no answer equals", true when the question is unanswered,
exactly as the form language's ``!=``; the ordering tests are false on an
unanswered question in both. Anything else (scores, baseline values, a mix of
``and`` and ``or``) raises :class:`Untranslatable`; the caller then keeps the
original text in an extension (docs/exports.md, "FHIR R4").
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.engine import expressions as ex
from kiosk.engine.answers import PREFER_NOT, option_codes
from kiosk.engine.form import Form
from kiosk.engine.references import flags_before
from kiosk.engine.schema import Item

Condition = dict[str, Any]
_Flat = tuple[str, list[Condition]]  # ("one" | "all" | "any", conditions)

CODED_TYPES = frozenset({"yes_no", "single_choice", "multi_choice", "scale"})
"""Item types whose answers are codings in FHIR (a scale point is a coding too)."""

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_MIRROR = {"=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_MAX_FLAG_DEPTH = 10


class Untranslatable(Exception):
    """The condition has no FHIR enableWhen equivalent; the message says why.

    Not a known error: control flow inside kiosk.reports. The Questionnaire writer
    (``fhir_questionnaire``) catches it and keeps the condition as text."""


@dataclass(frozen=True)
class EnableWhen:
    conditions: list[Condition]
    behavior: str | None  # "all" | "any"; None for a single condition


def code_system(base_url: str, form_id: str, item_id: str) -> str:
    """The CodeSystem of one item's answer codes."""
    return f"{base_url}/CodeSystem/{form_id}-{item_id}"


def scale_points(item: Item) -> range:
    assert item.min is not None and item.max is not None
    return range(item.min, item.max + 1)


def enable_when(form: Form, position: int, base_url: str) -> EnableWhen:
    """The enableWhen of the item at ``position``; Untranslatable when there is none."""
    item = form.spec.items[position]
    assert item.enable_when is not None
    translator = _Translator(form, position, base_url)
    join, conditions = translator.translate(ex.parse(item.enable_when), negated=False, depth=0)
    unique: list[Condition] = []
    for condition in conditions:
        if condition not in unique:
            unique.append(condition)
    if len(unique) == 1:
        return EnableWhen(unique, None)
    return EnableWhen(unique, join)


class _Translator:
    def __init__(self, form: Form, position: int, base_url: str) -> None:
        self.form = form
        self.position = position
        self.base_url = base_url

    # ------------------------------------------------------------ structure
    def translate(self, node: ex.Node, *, negated: bool, depth: int) -> _Flat:
        if isinstance(node, ex.Not):
            return self.translate(node.operand, negated=not negated, depth=depth)
        if isinstance(node, ex.BoolOp):
            conjunction = (node.op == "and") != negated
            parts = [self.translate(o, negated=negated, depth=depth) for o in node.operands]
            return _combine("all" if conjunction else "any", parts)
        if isinstance(node, ex.Call) and node.function in ("flagged", "any_flag"):
            return self.flags(node, negated=negated, depth=depth)
        if isinstance(node, ex.Call) and node.function == "answered":
            item = self.item(node.args[0] if node.args else None)
            return _one({"question": item.id, "operator": "exists", "answerBoolean": not negated})
        if isinstance(node, ex.Call) and node.function == "includes":
            item = self.item(node.args[0] if node.args else None)
            codes = [a.value for a in node.args[1:] if isinstance(a, ex.Literal)]
            if item.type != "multi_choice" or PREFER_NOT in codes:
                raise Untranslatable(f"includes() on '{item.id}'")
            return self.code_set(item, [str(c) for c in codes], negated=negated)
        if isinstance(node, ex.OneOf):
            subject = node.subject
            op = "!=" if node.negated != negated else "="
            parts = [self.compare(ex.Compare(op, subject, c, c.column)) for c in node.choices]
            return _combine("all" if op == "!=" else "any", parts)
        if isinstance(node, ex.Compare):
            if negated and node.op in ("=", "!="):
                flipped = "!=" if node.op == "=" else "="
                return self.compare(ex.Compare(flipped, node.left, node.right, node.column))
            return self.compare(node, negated=negated)
        raise Untranslatable("the condition is not a comparison FHIR can express")

    def flags(self, node: ex.Call, *, negated: bool, depth: int) -> _Flat:
        if depth >= _MAX_FLAG_DEPTH:
            raise Untranslatable("flags nested too deeply")
        whens = {flag.id: flag.when for flag in self.form.spec.flags}  # in the form's order
        if node.function == "any_flag":
            before = set(flags_before(self.form.symbols, self.position))
            flag_ids = [f for f in whens if f in before]
        else:
            flag_ids = [a.name for a in node.args if isinstance(a, ex.Name)]
        if not flag_ids or any(f not in whens for f in flag_ids):
            raise Untranslatable("no flag condition to translate")
        expanded = tuple(ex.parse(whens[f]) for f in flag_ids)
        combined: ex.Node = expanded[0] if len(expanded) == 1 else ex.BoolOp("or", expanded, 1)
        return self.translate(combined, negated=negated, depth=depth + 1)

    # ------------------------------------------------------------ atoms
    def item(self, node: ex.Node | None) -> Item:
        if not isinstance(node, ex.Name) or self.form.symbol_kinds.get(node.name) != "item":
            what = node.name if isinstance(node, ex.Name) else "a value"
            raise Untranslatable(f"'{what}' is not a question of this form")
        item = self.form.items[node.name]
        if item.type == "info":
            raise Untranslatable(f"'{item.id}' takes no answer")
        return item

    def compare(self, node: ex.Compare, *, negated: bool = False) -> _Flat:
        left, right, op = node.left, node.right, node.op
        if isinstance(left, ex.Literal) and not isinstance(right, ex.Literal):
            left, right, op = right, left, _MIRROR[op]
        if not isinstance(right, ex.Literal) or isinstance(right.value, bool):
            raise Untranslatable("a comparison must be with a fixed value")
        value = right.value
        if isinstance(left, ex.Call) and left.function == "band":
            return self.band(left, op, value, negated=negated)
        item = self.item(left)
        if item.type == "scale":
            if isinstance(value, str):
                raise Untranslatable(f"'{item.id}' is a scale, compared with text")
            test = _COMPARE[op]
            points = [str(p) for p in scale_points(item) if test(p, value)]
            if op == "!=":  # true also when unanswered: "no answer equals"
                return self.code_set(item, [str(value)], negated=not negated)
            return self.code_set(item, points, negated=negated)
        if item.type in ("yes_no", "single_choice"):
            if not isinstance(value, str) or op not in ("=", "!="):
                raise Untranslatable(f"'{item.id}' is compared with a number")
            return self.code_set(item, [value], negated=(op == "!=") != negated)
        if negated:
            raise Untranslatable(f"'not' of a comparison on '{item.id}'")
        if item.type == "integer" and not isinstance(value, str):
            if not float(value).is_integer():
                raise Untranslatable(f"'{item.id}' is compared with a fraction")
            return _one({"question": item.id, "operator": op, "answerInteger": int(value)})
        if item.type == "date" and isinstance(value, str) and op in ("=", "!="):
            return _one({"question": item.id, "operator": op, "answerDate": value})
        text_types = ("short_text", "long_text", "postcode", "nhs_number")
        if item.type in text_types and isinstance(value, str) and op in ("=", "!="):
            return _one({"question": item.id, "operator": op, "answerString": value})
        raise Untranslatable(f"'{item.id}' ({item.type}) cannot be compared this way in FHIR")

    def band(self, call: ex.Call, op: str, value: object, *, negated: bool) -> _Flat:
        item = self.item(call.args[0] if call.args else None)
        table = self.form.band_tables.get(item.id)
        if table is None or op not in ("=", "!=") or not isinstance(value, str):
            raise Untranslatable(f"band of '{item.id}'")
        wanted = (op == "=") != negated
        if item.type == "scale":
            points = [str(p) for p in scale_points(item) if table.classify(p) == value]
            return self.code_set(item, points, negated=not wanted)
        bands = {b.code: b for b in item.bands or ()}
        band = bands.get(value)
        if item.type != "integer" or band is None or not wanted or item.band_step != 1:
            raise Untranslatable(f"band of '{item.id}'")
        if not (float(band.min).is_integer() and float(band.max).is_integer()):
            raise Untranslatable(f"band of '{item.id}' has fractional bounds")
        low = {"question": item.id, "operator": ">=", "answerInteger": int(band.min)}
        high = {"question": item.id, "operator": "<=", "answerInteger": int(band.max)}
        return ("all", [low, high])

    def code_set(self, item: Item, codes: list[str], *, negated: bool) -> _Flat:
        """Positive: any answer is one of ``codes``; negated: no answer is any of them."""
        allowed = (
            [str(p) for p in scale_points(item)] if item.type == "scale" else option_codes(item)
        )
        if not codes or any(c not in allowed for c in codes):
            raise Untranslatable(f"codes not on '{item.id}'")
        system = code_system(self.base_url, self.form.id, item.id)
        conditions = [
            {
                "question": item.id,
                "operator": "!=" if negated else "=",
                "answerCoding": {"system": system, "code": code},
            }
            for code in codes
        ]
        if len(conditions) == 1:
            return ("one", conditions)
        return ("all" if negated else "any", conditions)


def _one(condition: Condition) -> _Flat:
    return ("one", [condition])


def _combine(join: str, parts: list[_Flat]) -> _Flat:
    conditions: list[Condition] = []
    for part_join, part in parts:
        if part_join not in ("one", join):
            raise Untranslatable("'and' and 'or' are mixed; FHIR enableWhen is one flat list")
        conditions.extend(part)
    return (join if len(conditions) > 1 else "one", conditions)
