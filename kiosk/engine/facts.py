"""What the rest of the product needs to know about an instrument, read from its form.

A form file declares these facts beside its questions (docs/forms.md): which
flag means the patient asked for help and which mark a social need, which
answers identify the patient or record a demographic fact, and which answers
and scores are measures tracked over visits. No Python outside the engine
names a form, item or flag: it asks these functions.

The keys were added to the format after forms were in use, so a form is also
known by its *earlier hash*: the hash of its definition without them. Declaring
a fact changes neither what is asked nor how it is scored, so a response
stored under the earlier hash opens with the form that now declares them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kiosk.engine.schema import SOCIAL_NEEDS, Chart, FormSpec, Item

HELP_REQUEST = "help_request"
FACT_KEYS = {
    "items": ("identifying", "demographic", "measure", "highlight", "label", "coding"),
    "scores": ("measure", "coding"),
}
FLAG_FACT_KEYS = ("category", "word")


def without_facts(spec: FormSpec) -> FormSpec:
    """The definition as it was before any of these facts were declared."""
    items = [item.model_copy(update=dict.fromkeys(FACT_KEYS["items"])) for item in spec.items]
    scores = [score.model_copy(update=dict.fromkeys(FACT_KEYS["scores"])) for score in spec.scores]
    flags = [flag.model_copy(update=dict.fromkeys(FLAG_FACT_KEYS)) for flag in spec.flags]
    return spec.model_copy(update={"items": items, "scores": scores, "flags": flags})


# ---------------------------------------------------------------- flags


def help_flags(spec: FormSpec) -> frozenset[str]:
    """Flags raised when the patient asks to talk to someone."""
    return frozenset(f.id for f in spec.flags if f.category == HELP_REQUEST)


def social_need_flags(spec: FormSpec, need: str | None = None) -> frozenset[str]:
    """Flags marking a social need (one kind of need, e.g. ``money``, if given)."""
    return frozenset(
        f.id
        for f in spec.flags
        if f.category in SOCIAL_NEEDS and (need is None or f.category == need)
    )


def flag_words(spec: FormSpec) -> dict[str, str]:
    """Flag id -> the short words staff lists show, where the form declares them."""
    return {f.id: f.word for f in spec.flags if f.word is not None}


# ---------------------------------------------------------------- identifying answers


def identifying_items(spec: FormSpec) -> frozenset[str]:
    """Items whose answer identifies the patient on its own."""
    return frozenset(item.id for item in spec.items if item.identifying)


def demographic_items(spec: FormSpec) -> dict[str, Item]:
    """Demographic kind (``birth_year``, ...) -> the item recording it."""
    return {item.demographic: item for item in spec.items if item.demographic is not None}


def highlighted(spec: FormSpec, highlight: str) -> list[Item]:
    """Items shown apart at the top of staff summaries (``own_words``, ``questions``,
    ``essential``), in form order."""
    return [item for item in spec.items if item.highlight == highlight]


# ---------------------------------------------------------------- measures


@dataclass(frozen=True)
class Measure:
    """A number tracked between visits, read from an answer or a score of one or more forms
    (a MYCaW concern is rated on the baseline form, then on the follow-up form)."""

    id: str
    label: str
    better: str  # "higher" | "lower"
    sources: tuple[tuple[str, str, str], ...]  # (form id, "answer" | "score", item or score id)
    chart: Chart | None = None

    @property
    def group(self) -> str:
        """Measures of one group share a chart: the first part of the id."""
        return self.id.partition(".")[0]

    @property
    def columns(self) -> tuple[str, ...]:
        """The export columns holding this measure (``FORM.ITEM`` or ``FORM.SCORE``)."""
        return tuple(f"{form}.{name}" for form, _kind, name in self.sources)


def collect_measures(
    specs: Iterable[FormSpec], order: Mapping[str, int] | None = None
) -> tuple[Measure, ...]:
    """Every measure the forms declare, its sources merged across forms.

    ``order``: form id -> position; measures come in the order of the first form
    declaring them (forms not in ``order`` last, by id)."""
    rank = order or {}
    ranked = sorted(specs, key=lambda s: (rank.get(s.id, len(rank)), s.id))
    found: dict[str, Measure] = {}
    for spec in ranked:
        owners = [("answer", item.id, item.measure) for item in spec.items]
        owners += [("score", score.id, score.measure) for score in spec.scores]
        for kind, name, declared in owners:
            if declared is None:
                continue
            source = (spec.id, kind, name)
            known = found.get(declared.id)
            if known is None:
                found[declared.id] = Measure(
                    declared.id, declared.label, declared.better, (source,), declared.chart
                )
            else:
                found[declared.id] = Measure(
                    known.id,
                    known.label,
                    known.better,
                    (*known.sources, source),
                    known.chart or declared.chart,
                )
    return tuple(found.values())
