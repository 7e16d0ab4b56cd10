"""Checks that go beyond the shape of a form file.

:mod:`kiosk.engine.schema` has already checked keys and types. Here we check
what needs the whole form in view: unique ids, keys that suit the item type,
text in every declared language, banding tables, and every expression and
reference. Each fault becomes a :class:`Problem` at the line of the YAML node
it concerns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from kiosk.engine import expressions as ex
from kiosk.engine.answers import allows_prefer_not
from kiosk.engine.bands import band_table_problems
from kiosk.engine.errors import Problem
from kiosk.engine.form import placeholders
from kiosk.engine.lookup_tables import read_lookup_tables
from kiosk.engine.references import (
    Scope,
    SymbolTable,
    build_symbols,
    check_expression,
    item_is_numeric,
    resolve_dependencies,
)
from kiosk.engine.schema import (
    ChangeScore,
    ConditionScore,
    FormSpec,
    Item,
    LevelsScore,
    LookupScore,
    MeanScore,
    Measure,
    SumScore,
)
from kiosk.engine.standard_text import STANDARD_OPTION_TEXT
from kiosk.engine.yamlsource import Located
from kiosk.engine.yamlsource import Path as YamlPath

CHOICE_TYPES = {"single_choice", "multi_choice"}


class _Collector:
    def __init__(self, located: Located) -> None:
        self.located = located
        self.problems: list[Problem] = []

    def add(self, where: YamlPath, message: str) -> None:
        self.problems.append(self.located.problem(where, message))


def check_form(spec: FormSpec, located: Located) -> tuple[FormSpec, SymbolTable, list[Problem]]:
    """Check ``spec``; return it (with lookup tables read in), its symbols and any problems."""
    out = _Collector(located)
    _check_unique_ids(spec, out)
    _check_licence(spec, out)
    for index, item in enumerate(spec.items):
        _check_item(item, ("items", index), out)
    _check_languages(spec, out)
    spec = read_lookup_tables(spec, Path(located.path).parent, out.add)
    table = build_symbols(spec)
    cycles = resolve_dependencies(spec, table)
    for cycle in cycles:
        out.add(("scores",) if spec.scores else ("flags",), f"circular definition: {cycle}")
    _check_scores(spec, table, out)
    _check_expressions(spec, table, out)
    _check_placeholders(spec, out)
    _check_facts(spec, out)
    return spec, table, out.problems


# ---------------------------------------------------------------- ids


def _check_unique_ids(spec: FormSpec, out: _Collector) -> None:
    _duplicates([(("items", i, "id"), it.id) for i, it in enumerate(spec.items)], "item", out)
    _duplicates([(("scores", i, "id"), s.id) for i, s in enumerate(spec.scores)], "score", out)
    _duplicates([(("flags", i, "id"), f.id) for i, f in enumerate(spec.flags)], "flag", out)
    item_ids = {item.id for item in spec.items}
    for index, score in enumerate(spec.scores):
        if score.id in item_ids:
            out.add(("scores", index, "id"), f"score id '{score.id}' is already an item id")
    for index, item in enumerate(spec.items):
        codes: list[tuple[YamlPath, str]] = [
            (("items", index, "options", j, "code"), o.code)
            for j, o in enumerate(item.options or ())
        ]
        _duplicates(codes, f"option code in item '{item.id}':", out)


def _duplicates(entries: list[tuple[YamlPath, str]], what: str, out: _Collector) -> None:
    counts = Counter(name for _, name in entries)
    seen: set[str] = set()
    for where, name in entries:
        if counts[name] > 1 and name in seen:
            out.add(where, f"duplicate {what} '{name}'")
        seen.add(name)


def _check_licence(spec: FormSpec, out: _Collector) -> None:
    if spec.licence.proprietary and not spec.licence.site_licence_required:
        out.add(
            ("licence", "proprietary"),
            "a proprietary form must also set site_licence_required: true",
        )


# ---------------------------------------------------------------- items


def _check_item(item: Item, where: YamlPath, out: _Collector) -> None:
    kind = item.type
    label = f"item '{item.id}' ({kind})"
    if kind in CHOICE_TYPES:
        needed = 2 if kind == "single_choice" else 1
        if not item.options or len(item.options) < needed:
            out.add((*where, "options"), f"{label} needs at least {needed} options")
    elif item.options is not None:
        hint = " (its answers are always yes, no, prefer_not)" if kind == "yes_no" else ""
        out.add((*where, "options"), f"{label} cannot have options{hint}")
    if kind != "multi_choice":
        for j, option in enumerate(item.options or ()):
            if option.exclusive:
                out.add((*where, "options", j, "exclusive"), "exclusive is only for multi_choice")
    if kind == "yes_no" and item.prefer_not is False:
        out.add((*where, "prefer_not"), 'yes_no items always offer "I don\'t want to answer"')
    if kind == "info":
        for key in ("required", "prefer_not"):
            if getattr(item, key):
                out.add((*where, key), f"{label} is not a question, so cannot set {key}")
    _check_scale(item, where, label, out)
    _check_validation(item, where, label, out)
    if item.bands:
        if not item_is_numeric(item):
            out.add((*where, "bands"), f"{label} has no numbers to band")
        else:
            expected = (item.min, item.max) if kind == "scale" else None
            rows = [(b.code, b.min, b.max) for b in item.bands]
            valid_range = expected if expected and None not in expected else None
            for row, message in band_table_problems(rows, item.band_step, valid_range):  # type: ignore[arg-type]
                out.add((*where, "bands") if row is None else (*where, "bands", row), message)


def _check_scale(item: Item, where: YamlPath, label: str, out: _Collector) -> None:
    if item.type != "scale":
        for key in ("min", "max", "anchors"):
            if getattr(item, key) is not None:
                out.add((*where, key), f"{label} cannot have {key} (only scale items do)")
        return
    if item.min is None or item.max is None:
        out.add(where, f"{label} needs min and max")
        return
    if item.min >= item.max or item.max - item.min > 20:
        out.add((*where, "max"), f"{label}: the scale must run upwards over at most 21 points")
        return
    seen: set[int] = set()
    for j, anchor in enumerate(item.anchors or ()):
        if not item.min <= anchor.value <= item.max:
            out.add((*where, "anchors", j), f"anchor {anchor.value} is outside the scale")
        if anchor.value in seen:
            out.add((*where, "anchors", j), f"anchor {anchor.value} appears twice")
        seen.add(anchor.value)
    if not item.anchors:
        out.add(where, f"{label} needs labelled anchors (at least its two ends)")


def _check_validation(item: Item, where: YamlPath, label: str, out: _Collector) -> None:
    rule = item.validation
    if rule is None:
        return
    here = (*where, "validation")
    allowed = {
        "integer": {"min", "max", "message"},
        "date": {"min", "max", "message"},
        "short_text": {"max_length", "pattern", "message"},
        "long_text": {"max_length", "pattern", "message"},
    }.get(item.type, set())
    for key in ("min", "max", "max_length", "pattern", "message"):
        if getattr(rule, key) is not None and key not in allowed:
            out.add((*here, key), f"{label} cannot have validation {key}")
    if rule.pattern is not None and "pattern" in allowed:
        try:
            re.compile(rule.pattern)
        except re.error as exc:
            out.add((*here, "pattern"), f"invalid pattern: {exc}")
    if item.type == "date":
        for key in ("min", "max"):
            bound = getattr(rule, key)
            if bound is not None and bound != "today" and not _is_iso_date(bound):
                out.add((*here, key), f"date {key} must be YYYY-MM-DD or 'today'")
    if item.type == "integer":
        for key in ("min", "max"):
            bound = getattr(rule, key)
            if bound is not None and not isinstance(bound, int | float):
                out.add((*here, key), f"{key} must be a number")
    low, high = rule.min, rule.max
    impossible = False
    if item.type == "integer" and isinstance(low, int | float) and isinstance(high, int | float):
        impossible = low > high
    elif item.type == "date" and _is_iso_date(low) and _is_iso_date(high):
        impossible = dt.date.fromisoformat(str(low)) > dt.date.fromisoformat(str(high))
    if impossible:
        out.add(
            (*here, "min"),
            f"{label}: validation min {low} is above max {high}, so no answer is possible",
        )


def _is_iso_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- languages


def _texts(spec: FormSpec) -> Iterator[tuple[YamlPath, dict[str, str]]]:
    yield ("title",), spec.title
    if spec.description is not None:
        yield ("description",), spec.description
    for i, item in enumerate(spec.items):
        yield ("items", i, "text"), item.text
        if item.help is not None:
            yield ("items", i, "help"), item.help
        for j, option in enumerate(item.options or ()):
            yield ("items", i, "options", j, "text"), option.text
        for j, anchor in enumerate(item.anchors or ()):
            yield ("items", i, "anchors", j, "text"), anchor.text
        if item.validation is not None and item.validation.message is not None:
            yield ("items", i, "validation", "message"), item.validation.message


def _check_languages(spec: FormSpec, out: _Collector) -> None:
    declared = set(spec.languages)
    if not declared:
        out.add(("languages",), "declare at least one language, e.g. en: validated")
        return
    for where, text in _texts(spec):
        for language in sorted(declared - set(text)):
            out.add(where, f"no '{language}' text, but the form declares {language}")
        for language in sorted(set(text) - declared):
            out.add(where, f"text in '{language}', which is not declared under languages")
    uses_standard = any(it.type == "yes_no" or allows_prefer_not(it) for it in spec.items)
    if uses_standard:
        for language in sorted(declared - set(STANDARD_OPTION_TEXT)):
            out.add(
                ("languages", language),
                f'there is no standard yes / no / "I don\'t want to answer" text in '
                f"'{language}' yet (kiosk/engine/standard_text.py)",
            )


def _check_placeholders(spec: FormSpec, out: _Collector) -> None:
    declared = {f"baseline.{n}" for n in (spec.baseline.items if spec.baseline else ())}
    for where, text in _texts(spec):
        for value in text.values():
            for name in placeholders(value):
                if name not in declared:
                    out.add(where, f"{{{name}}} is not among the baseline items this form declares")


# ---------------------------------------------------------------- scores


def _check_scores(spec: FormSpec, table: SymbolTable, out: _Collector) -> None:
    items = {item.id: item for item in spec.items}
    for index, score in enumerate(spec.scores):
        where: YamlPath = ("scores", index)
        label = f"score '{score.id}'"
        if isinstance(score, SumScore | MeanScore):
            for j, name in enumerate(score.items):
                if name not in items:
                    out.add((*where, "items", j), f"{label} names '{name}', which is not an item")
                elif not item_is_numeric(items[name]):
                    out.add((*where, "items", j), f"{label}: item '{name}' has no numeric value")
            if score.min_answered is not None and score.min_answered > len(score.items):
                out.add((*where, "min_answered"), f"{label}: min_answered is more than its items")
        elif isinstance(score, LookupScore | LevelsScore):
            symbol = table.symbols.get(score.of)
            if symbol is None or symbol.kind == "baseline":
                out.add(
                    (*where, "of"), f"{label} names '{score.of}', which is not an item or score"
                )
            elif not symbol.numeric:
                out.add((*where, "of"), f"{label}: '{score.of}' has no numeric value")
            if isinstance(score, LevelsScore):
                rows = [(str(x.level), x.min, x.max) for x in score.levels]
                for row, message in band_table_problems(rows, score.level_step):
                    out.add((*where, "levels") if row is None else (*where, "levels", row), message)
        elif isinstance(score, ChangeScore):
            if table.symbols.get(score.baseline, None) is None or not score.baseline.startswith(
                "baseline."
            ):
                out.add(
                    (*where, "baseline"),
                    f"{label}: '{score.baseline}' is not a declared baseline value",
                )
            symbol = table.symbols.get(score.followup)
            if symbol is None or symbol.kind == "baseline" or not symbol.numeric:
                out.add(
                    (*where, "followup"),
                    f"{label}: '{score.followup}' is not a numeric item or score",
                )
        if score.bands:
            rows = [(b.code, b.min, b.max) for b in score.bands]
            for row, message in band_table_problems(rows, score.band_step):
                out.add((*where, "bands") if row is None else (*where, "bands", row), message)


# ---------------------------------------------------------------- expressions


def _expressions(spec: FormSpec) -> Iterator[tuple[YamlPath, str, Scope]]:
    for index, item in enumerate(spec.items):
        if item.enable_when is not None:
            yield ("items", index, "enable_when"), item.enable_when, Scope("enable_when", index)
    for index, score in enumerate(spec.scores):
        if isinstance(score, ConditionScore):
            yield ("scores", index, "when"), score.when, Scope(f"score '{score.id}'")
    for index, flag in enumerate(spec.flags):
        yield ("flags", index, "when"), flag.when, Scope(f"flag '{flag.id}'")


def _check_expressions(spec: FormSpec, table: SymbolTable, out: _Collector) -> None:
    for where, source, scope in _expressions(spec):
        try:
            tree = ex.parse(source)
        except ex.ExpressionError as exc:
            out.add(where, f"{where[-1]}: invalid expression: {exc}")
            continue
        for message in check_expression(tree, table, scope):
            out.add(where, f"{where[-1]}: {message}")


# ---------------------------------------------------------------- declared facts


def _check_facts(spec: FormSpec, out: _Collector) -> None:
    """Facts the product reads (facts.py) must be unambiguous and fit what they describe."""
    measures: list[tuple[YamlPath, Measure]] = []
    demographics: list[tuple[YamlPath, str]] = []
    for index, item in enumerate(spec.items):
        where: YamlPath = ("items", index)
        if item.measure is not None:
            measures.append(((*where, "measure"), item.measure))
            if not item_is_numeric(item):
                out.add((*where, "measure"), f"item '{item.id}' has no number to track")
        if item.demographic is not None:
            demographics.append(((*where, "demographic"), item.demographic))
        if (item.identifying or item.demographic) and not item.sensitive:
            out.add(
                (*where, "identifying" if item.identifying else "demographic"),
                f"item '{item.id}' identifies the patient, so it must also be sensitive: true",
            )
    for index, score in enumerate(spec.scores):
        if score.measure is not None:
            measures.append((("scores", index, "measure"), score.measure))
    _duplicates([((*where, "id"), m.id) for where, m in measures], "measure", out)
    _duplicates(demographics, "demographic", out)
    for where, measure in measures:
        if measure.chart is not None and measure.chart.step > measure.chart.top:
            out.add((*where, "chart", "step"), "chart step is larger than its top")
