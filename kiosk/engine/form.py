"""A loaded, checked form, and the one place responses are scored.

:meth:`Form.evaluate` is the whole pipeline: normalise each answer, decide
which items are enabled (skip logic, question by question), compute scores,
bands and flags. The tablet and the clinic both call it, so their results
cannot drift apart. Build a Form with :func:`kiosk.engine.loader.load_form`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.engine import expressions as ex
from kiosk.engine import facts
from kiosk.engine.answers import Answer, normalise_answer, numeric_value
from kiosk.engine.bands import BandTable, round_half_up
from kiosk.engine.errors import AnswerError
from kiosk.engine.evaluation import Compiled, compile_expression
from kiosk.engine.references import SymbolTable, flags_before
from kiosk.engine.schema import (
    ChangeScore,
    ConditionScore,
    FormSpec,
    Item,
    LevelsScore,
    LookupScore,
    MeanScore,
    Score,
    SumScore,
)
from kiosk.engine.standard_text import option_text
from kiosk.vocabulary import SEVERITIES

SEVERITY_ORDER: dict[str, int] = {severity: rank for rank, severity in enumerate(SEVERITIES)}
ScoreValue = int | float | None
_PLACEHOLDER = re.compile(r"\{(baseline\.[a-z][a-z0-9_]*)\}")


@dataclass(frozen=True)
class RaisedFlag:
    id: str
    severity: str
    reason: str
    category: str | None = None  # declared in the form (facts.py); not part of to_json


@dataclass(frozen=True)
class ScoredResponse:
    """Everything the engine derives from one response to one form."""

    form_id: str
    version: str
    hash: str
    answers: Mapping[str, Answer]
    enabled: tuple[str, ...]
    scores: Mapping[str, ScoreValue]
    bands: Mapping[str, str]
    flags: tuple[RaisedFlag, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "form": self.form_id,
            "version": self.version,
            "hash": self.hash,
            "scores": dict(self.scores),
            "bands": dict(self.bands),
            "flags": [{"id": f.id, "severity": f.severity, "reason": f.reason} for f in self.flags],
            "enabled": list(self.enabled),
        }


class _Evaluation:
    """One response being evaluated; the Context that expressions read."""

    __slots__ = ("_flags", "_scores", "answers", "baseline", "form")

    def __init__(self, form: Form, baseline: Mapping[str, Any]) -> None:
        self.form = form
        self.baseline = baseline
        self.answers: dict[str, Answer] = {}
        self._scores: dict[str, ScoreValue] = {}
        self._flags: dict[str, bool] = {}

    def answer_given(self, item_id: str, answer: Answer) -> None:
        self.answers[item_id] = answer
        if self._scores or self._flags:
            self._scores.clear()
            self._flags.clear()

    # --- Context
    def value(self, name: str) -> ex.Value:
        kind = self.form.symbol_kinds[name]
        if kind == "item":
            return self.answers.get(name)
        if kind == "score":
            return self.score(name)
        value = self.baseline.get(name[len("baseline.") :])
        return value if isinstance(value, str | int | float | list) else None

    def flagged(self, flag_id: str) -> bool:
        raised = self._flags.get(flag_id)
        if raised is None:
            raised = bool(self.form.flag_conditions[flag_id](self))
            self._flags[flag_id] = raised
        return raised

    def band(self, name: str) -> str | None:
        return self.form.band_tables[name].classify(self.number(name))

    # --- numbers
    def number(self, name: str) -> ScoreValue:
        kind = self.form.symbol_kinds.get(name)
        if kind == "item":
            return numeric_value(self.form.items[name], self.answers.get(name))
        if kind == "score":
            return self.score(name)
        value = self.baseline.get(name[len("baseline.") :])
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    def score(self, score_id: str) -> ScoreValue:
        if score_id not in self._scores:
            self._scores[score_id] = self.form.score_rules[score_id](self)
        return self._scores[score_id]


ScoreRule = Callable[[_Evaluation], ScoreValue]


@dataclass
class Form:
    """A checked form ready to evaluate responses. Immutable once built."""

    spec: FormSpec
    hash: str
    path: Path | None
    symbols: SymbolTable
    lines: Mapping[tuple[str | int, ...], int] = field(default_factory=dict, repr=False)
    earlier_hash: str = ""  # the hash without the facts declared later (facts.py)
    items: dict[str, Item] = field(init=False)
    symbol_kinds: dict[str, str] = field(init=False)
    enable_conditions: dict[str, Compiled] = field(init=False)
    flag_conditions: dict[str, Compiled] = field(init=False)
    score_rules: dict[str, ScoreRule] = field(init=False)
    band_tables: dict[str, BandTable] = field(init=False)
    patterns: dict[str, re.Pattern[str]] = field(init=False)

    def __post_init__(self) -> None:
        spec = self.spec
        self.items = {item.id: item for item in spec.items}
        self.symbol_kinds = {name: s.kind for name, s in self.symbols.symbols.items()}
        self.enable_conditions = {
            item.id: compile_expression(
                ex.parse(item.enable_when), flags_before(self.symbols, position)
            )
            for position, item in enumerate(spec.items)
            if item.enable_when is not None
        }
        self.flag_conditions = {
            flag.id: compile_expression(ex.parse(flag.when)) for flag in spec.flags
        }
        self.score_rules = {score.id: _score_rule(score) for score in spec.scores}
        self.band_tables = {}
        for owner in (*spec.items, *spec.scores):
            if owner.bands:
                rows = [(b.code, b.min, b.max) for b in owner.bands]
                self.band_tables[owner.id] = BandTable(rows, owner.band_step)
        self.patterns = {
            item.id: re.compile(item.validation.pattern)
            for item in spec.items
            if item.validation is not None and item.validation.pattern is not None
        }

    # ------------------------------------------------------------ identity
    def line_of(self, location: tuple[str | int, ...]) -> int:
        """The source line of a place in the form file (its nearest ancestor's if unknown)."""
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return 1

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def languages(self) -> dict[str, str]:
        return dict(self.spec.languages)

    @property
    def needs_site_licence(self) -> bool:
        return self.spec.licence.site_licence_required

    @property
    def licence_key(self) -> str:
        """The licence register entry that covers this form.

        A follow-up form is part of the same instrument as its baseline form,
        so one site licence (recorded against the baseline form) covers both.
        """
        baseline = self.spec.baseline
        return baseline.form if baseline is not None else self.id

    # ------------------------------------------------------------ declared facts
    @property
    def help_flags(self) -> frozenset[str]:
        """Flags raised when the patient asks to talk to someone."""
        return facts.help_flags(self.spec)

    @property
    def social_need_flags(self) -> frozenset[str]:
        return facts.social_need_flags(self.spec)

    @property
    def identifying_items(self) -> frozenset[str]:
        """Items whose answer identifies the patient on its own."""
        return facts.identifying_items(self.spec)

    @property
    def demographic_items(self) -> dict[str, Item]:
        """Demographic kind (``birth_year``, ``home_postcode``, ...) -> its item."""
        return facts.demographic_items(self.spec)

    def is_enabled(self, licences: Mapping[str, str]) -> bool:
        """Usable at this site: open, or its site licence reference is recorded."""
        return not self.needs_site_licence or bool(licences.get(self.licence_key))

    # ------------------------------------------------------------ answers
    def normalise(self, item_id: str, raw: Any, *, today: dt.date | None = None) -> Answer | None:
        """The canonical form of one answer; AnswerError if the form does not allow it."""
        item = self.items.get(item_id)
        if item is None:
            raise AnswerError(item_id, "unknown_item", f"is not an item of form '{self.id}'")
        return normalise_answer(item, raw, today=today, pattern=self.patterns.get(item_id))

    def evaluate(
        self,
        answers: Mapping[str, Any],
        *,
        baseline: Mapping[str, Any] | None = None,
        strict: bool = True,
        today: dt.date | None = None,
    ) -> ScoredResponse:
        """Score one response.

        ``strict``: an answer to an item that skip logic has disabled is an
        error (for data from outside). With ``strict=False`` such answers are
        dropped, as when a patient goes back and changes an earlier answer.
        """
        return self.evaluate_normalised(
            self.normalise_all(answers, today=today), baseline=baseline, strict=strict
        )

    def normalise_all(
        self, answers: Mapping[str, Any], *, today: dt.date | None = None
    ) -> dict[str, Answer | None]:
        """Every answer's canonical form (None: not answered), item by item in the order
        given; AnswerError for the first one the form does not allow. What
        :meth:`evaluate_normalised` takes, so answers checked once need not be again."""
        return {
            item_id: self.normalise(item_id, raw, today=today) for item_id, raw in answers.items()
        }

    def evaluate_normalised(
        self,
        normalised: Mapping[str, Answer | None],
        *,
        baseline: Mapping[str, Any] | None = None,
        strict: bool = True,
    ) -> ScoredResponse:
        """:meth:`evaluate` of answers already made canonical by :meth:`normalise_all`
        (the same result as evaluating the answers as given)."""
        given = {item_id: answer for item_id, answer in normalised.items() if answer is not None}
        evaluation = _Evaluation(self, baseline or {})
        enabled: list[str] = []
        for item in self.spec.items:
            condition = self.enable_conditions.get(item.id)
            if condition is None or condition(evaluation):
                enabled.append(item.id)
                if item.id in given:
                    evaluation.answer_given(item.id, given[item.id])
            elif item.id in given and strict:
                raise AnswerError(
                    item.id,
                    "disabled",
                    "was answered, but with the earlier answers given this question is not asked",
                )
        scores = {score.id: evaluation.score(score.id) for score in self.spec.scores}
        bands = {}
        for name in self.band_tables:
            band = evaluation.band(name)
            if band is not None:
                bands[name] = band
        flags = [
            RaisedFlag(flag.id, flag.severity, flag.reason, flag.category)
            for flag in self.spec.flags
            if evaluation.flagged(flag.id)
        ]
        flags.sort(key=lambda f: SEVERITY_ORDER[f.severity])
        return ScoredResponse(
            form_id=self.id,
            version=self.version,
            hash=self.hash,
            answers=dict(evaluation.answers),
            enabled=tuple(enabled),
            scores=scores,
            bands=bands,
            flags=tuple(flags),
        )

    def enabled_items(self, answers: Mapping[str, Any], **kwargs: Any) -> tuple[str, ...]:
        """Which items are asked, given these answers.

        Answers to items that the other answers switch off are ignored.
        """
        return self.evaluate(answers, strict=False, **kwargs).enabled

    # ------------------------------------------------------------ text
    def text(self, item_id: str, language: str, baseline: Mapping[str, Any] | None = None) -> str:
        """An item's text in ``language``, with ``{baseline.x}`` filled in."""
        template = self.items[item_id].text[language]
        values = baseline or {}

        def fill(match: re.Match[str]) -> str:
            value = values.get(match.group(1)[len("baseline.") :])
            return "" if value is None else str(value)

        return _PLACEHOLDER.sub(fill, template)

    def option_text(self, item_id: str, code: str, language: str) -> str:
        item = self.items[item_id]
        for option in item.options or ():
            if option.code == code:
                return option.text[language]
        text = option_text(code, language)
        if text is None:
            raise KeyError(f"{item_id}: no text for option {code!r} in {language!r}")
        return text


def placeholders(text: str) -> list[str]:
    """The baseline names a text refers to, e.g. ``["baseline.concern_1"]``."""
    return _PLACEHOLDER.findall(text)


def _score_rule(score: Score) -> ScoreRule:
    if isinstance(score, SumScore | MeanScore):
        items = tuple(score.items)
        needed = score.min_answered or len(items)
        mean = isinstance(score, MeanScore)
        digits = score.round if isinstance(score, MeanScore) else 0

        def aggregate(ev: _Evaluation) -> ScoreValue:
            values = [v for v in (ev.number(i) for i in items) if v is not None]
            if len(values) < needed:
                return None
            total = sum(values)
            return round_half_up(total / len(values), digits) if mean else total

        return aggregate
    if isinstance(score, ConditionScore):
        condition = compile_expression(ex.parse(score.when))
        return lambda ev: 1 if condition(ev) else 0
    if isinstance(score, LookupScore):
        source, table = score.of, dict(score.table or {})

        def lookup(ev: _Evaluation) -> ScoreValue:
            raw = ev.number(source)
            if raw is None or not float(raw).is_integer():
                return None
            return table.get(int(raw))

        return lookup
    if isinstance(score, LevelsScore):
        source = score.of
        levels = BandTable([(str(x.level), x.min, x.max) for x in score.levels], score.level_step)

        def level(ev: _Evaluation) -> ScoreValue:
            found = levels.classify(ev.number(source))
            return None if found is None else int(found)

        return level
    assert isinstance(score, ChangeScore)
    before_name, after_name = score.baseline, score.followup

    def change(ev: _Evaluation) -> ScoreValue:
        before, after = ev.number(before_name), ev.number(after_name)
        if before is None or after is None:
            return None
        return before - after

    return change
