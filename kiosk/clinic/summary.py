"""One submission as staff read it: questions and answers in words, flags explained,
scores with bands, the essentials, and change over time (docs/staff-api.md).

Pure functions over decrypted values and the form library; casework.py reads the
database and audits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.engine import Form, FormLibrary, UnknownFormError
from kiosk.engine.answers import PREFER_NOT
from kiosk.engine.facts import Measure, highlighted
from kiosk.site.forms import installed_measures

STAFF_LANGUAGE = "en"


@dataclass(frozen=True)
class StoredResponse:
    """One form of a submission, opened: what the database row holds, decrypted."""

    form_id: str
    form_version: str
    form_hash: str
    known: bool
    scores: Mapping[str, Any]
    bands: Mapping[str, str]
    answers: Mapping[str, Any]


def _form(library: FormLibrary, response: StoredResponse) -> Form | None:
    try:
        return library.by_hash(response.form_hash)
    except UnknownFormError:
        try:
            return library.get(response.form_id, response.form_version)
        except UnknownFormError:
            return None


def answer_words(form: Form, item_id: str, value: Any) -> str:
    """An answer in staff's words: option texts, numbers, or the patient's own text."""
    item = form.items[item_id]
    if value == PREFER_NOT or item.type in ("single_choice", "yes_no", "multi_choice"):
        codes = value if isinstance(value, list) else [str(value)]
        words = []
        for code in codes:
            try:
                words.append(form.option_text(item_id, str(code), STAFF_LANGUAGE))
            except KeyError:
                words.append(str(code))
        return ", ".join(words)
    return str(value)


def _question(form: Form, item_id: str, baseline: Mapping[str, Any] | None = None) -> str:
    try:
        return form.text(item_id, STAFF_LANGUAGE, baseline)
    except KeyError:
        return item_id


def flag_reasons(library: FormLibrary) -> dict[tuple[str, str], str]:
    """(form id, flag id) -> the reason staff read, over every loaded form version."""
    out: dict[tuple[str, str], str] = {}
    for form in library.forms():
        for flag in form.spec.flags:
            out.setdefault((form.id, flag.id), flag.reason)
    return out


def flag_words(library: FormLibrary) -> dict[tuple[str, str], str]:
    """(form id, flag id) -> the short words staff lists show (a flag's ``word``), to send
    with each flag as ``"word"`` beside its reason."""
    out: dict[tuple[str, str], str] = {}
    for form in library.forms():
        for flag in form.spec.flags:
            if flag.word is not None:
                out.setdefault((form.id, flag.id), flag.word)
    return out


def help_flags(library: FormLibrary) -> frozenset[tuple[str, str]]:
    """(form id, flag id) of every flag raised when a patient asks to talk to someone
    (a flag's ``category: help_request``): the queue's "Wants help" and its urgency."""
    return frozenset((form.id, flag_id) for form in library.forms() for flag_id in form.help_flags)


def form_section(
    library: FormLibrary,
    response: StoredResponse,
    flags: Sequence[Mapping[str, Any]],
    baseline: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One form's questions and answers in words; ``baseline`` fills a follow-up
    question's "At your first visit you wrote ..." with the patient's words."""
    form = _form(library, response)
    section: dict[str, Any] = {
        "form_id": response.form_id,
        "title": response.form_id,
        "version": response.form_version,
        "known": form is not None,
        "highlighted": False,
        "credit": None,
        "items": [],
        "scores": [],
    }
    if form is None:
        section["items"] = [
            {"id": k, "question": k, "answer": v, "answer_text": str(v), "flag": None}
            for k, v in response.answers.items()
        ]
        return section
    spec = form.spec
    section["title"] = spec.title.get(STAFF_LANGUAGE) or next(iter(spec.title.values()))
    section["credit"] = spec.licence.attribution
    # Shown by its highlighted answers only (what matters, the essentials), not in full.
    section["highlighted"] = any(item.highlight is not None for item in spec.items)
    by_item = _flags_by_item(form, flags)
    for item in spec.items:
        if item.type == "info" or item.id not in response.answers:
            continue
        value = response.answers[item.id]
        section["items"].append(
            {
                "id": item.id,
                "question": _question(form, item.id, baseline),
                "answer": value,
                "answer_text": answer_words(form, item.id, value),
                "flag": by_item.get(item.id),
            }
        )
        if item.bands:
            section["scores"].append(
                _score(
                    item.id,
                    _item_label(form, item.id),
                    value,
                    response.bands.get(item.id),
                    item.bands,
                )
            )
    for score in spec.scores:
        value = response.scores.get(score.id)
        if value is None:
            continue
        section["scores"].append(
            _score(
                score.id,
                score.label or score.id.replace("_", " ").capitalize(),
                value,
                response.bands.get(score.id),
                score.bands,
            )
        )
    return section


def _item_label(form: Form, item_id: str) -> str:
    measure = form.items[item_id].measure
    if measure is not None:
        return measure.label.split(" (")[0]
    return item_id.replace("_", " ").capitalize()


def _score(score_id: str, label: str, value: Any, band: str | None, bands: Any) -> dict[str, Any]:
    band_label = None
    for entry in bands or ():
        if entry.code == band:
            band_label = entry.label or entry.code
    return {"id": score_id, "label": label, "value": value, "band": band, "band_label": band_label}


def _flags_by_item(form: Form, flags: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Which answers raised which of this form's flags: the items each condition names."""
    raised = {f["id"]: f for f in flags if f["form_id"] == form.id}
    out: dict[str, dict[str, Any]] = {}
    for spec in form.spec.flags:
        if spec.id not in raised:
            continue
        for item_id in form.items:
            if _names(spec.when, item_id):
                out.setdefault(item_id, dict(raised[spec.id]))
    return out


def _names(expression: str, item_id: str) -> bool:
    import re

    return re.search(rf"(?<![\w.]){re.escape(item_id)}(?!\w)", expression) is not None


def what_matters(library: FormLibrary, responses: Sequence[StoredResponse]) -> dict[str, Any]:
    """The patient's own words, and the questions they chose to ask."""
    words: list[dict[str, Any]] = []
    asks: list[str] = []
    for response in responses:
        form = _form(library, response)
        if form is None:
            continue
        for item in highlighted(form.spec, "own_words"):
            value = response.answers.get(item.id)
            if value in (None, "", PREFER_NOT):
                continue
            question = _question(form, item.id)
            words.append({"item_id": item.id, "question": question, "answer": str(value)})
        for item in highlighted(form.spec, "questions"):
            chosen = response.answers.get(item.id)
            if isinstance(chosen, list):
                asks = [answer_words(form, item.id, code) for code in chosen]
    return {"what_matters": words, "questions_to_ask": asks}


def essentials(library: FormLibrary, responses: Sequence[StoredResponse]) -> dict[str, Any]:
    """The answers staff need before they meet the patient (items with ``highlight:
    essential``), in words; every such item of the forms in use is a key (null if not
    answered)."""
    out: dict[str, Any] = {
        item.id: None for form in library.forms() for item in highlighted(form.spec, "essential")
    }
    for response in responses:
        form = _form(library, response)
        if form is None:
            continue
        for item in highlighted(form.spec, "essential"):
            value = response.answers.get(item.id)
            if value is None:
                continue
            if item.type == "multi_choice":
                codes = value if isinstance(value, list) else [value]
                out[item.id] = [answer_words(form, item.id, code) for code in codes]
            else:
                out[item.id] = answer_words(form, item.id, value)
    return out


def essential_labels(library: FormLibrary) -> dict[str, str]:
    """Each essential answer's short name for staff, as its form declares it (an item's
    ``label``; its id written out where the form gives none), by item id."""
    out: dict[str, str] = {}
    for form in library.forms():
        for item in highlighted(form.spec, "essential"):
            out.setdefault(item.id, item.label or item.id.replace("_", " ").capitalize())
    return out


def measures_of(
    responses: Sequence[StoredResponse], measures: Sequence[Measure] | None = None
) -> dict[str, float | int]:
    """The tracked measures one submission has (``measures``: ``library.measures()``)."""
    out: dict[str, float | int] = {}
    for measure in installed_measures() if measures is None else measures:
        for form_id, kind, name in measure.sources:
            for response in responses:
                if response.form_id != form_id:
                    continue
                source = response.answers if kind == "answer" else response.scores
                value = source.get(name)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    out[measure.id] = value
    return out


def change_over_time(
    history: Sequence[Mapping[str, Any]], measures: Sequence[Measure] | None = None
) -> list[dict[str, Any]]:
    """Baseline (first) against latest for each measure present at least twice
    (``measures``: ``library.measures()``)."""
    out = []
    for measure in installed_measures() if measures is None else measures:
        points = [
            (h["started_at"], h["measures"][measure.id])
            for h in history
            if measure.id in h["measures"]
        ]
        if len(points) < 2:
            continue
        (first_at, first), (last_at, last) = points[0], points[-1]
        delta = round(last - first, 2)
        improved = delta > 0 if measure.better == "higher" else delta < 0
        out.append(
            {
                "measure": measure.id,
                "label": measure.label,
                "baseline": first,
                "baseline_at": first_at,
                "latest": last,
                "latest_at": last_at,
                "change": delta,
                "better": measure.better,
                "improved": improved if delta != 0 else None,
                "group": measure.group,
                "chart": None if measure.chart is None else measure.chart.model_dump(),
            }
        )
    return out
