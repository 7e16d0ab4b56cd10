"""The form file format, as pydantic models.

These models are the machine-checkable schema of ``forms/*.yaml`` (exported as
JSON Schema by ``kiosk forms schema``). They check *shape*: keys, types, id
syntax. Cross-references (an ``enable_when`` naming a later item, a banding
table with a gap, ...) are checked by :mod:`kiosk.engine.checks`.

docs/forms.md describes every key for form authors.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, StringConstraints

from kiosk.vocabulary import Severity

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$"),
    Field(description="lower case letters, digits and underscores, starting with a letter"),
]
Code = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,39}$"),
    Field(description="an answer code: letters, digits, '_' or '-'"),
]
LanguageCode = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
    Field(description="a BCP 47 language tag such as en, cy, pl, ur, bn, ar"),
]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Text = dict[LanguageCode, NonEmpty]
"""Text in each declared language: ``{en: "...", cy: "..."}``."""

Number = int | FiniteFloat  # .inf and .nan cannot be banded or scored

ItemType = Literal[
    "info",
    "single_choice",
    "multi_choice",
    "yes_no",
    "scale",
    "integer",
    "short_text",
    "long_text",
    "date",
    "nhs_number",
    "postcode",
]
ITEM_TYPES: tuple[str, ...] = get_args(ItemType)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Source(Strict):
    name: NonEmpty
    citation: NonEmpty | None = None
    url: NonEmpty | None = None


class Licence(Strict):
    name: NonEmpty
    attribution: NonEmpty | None = Field(
        default=None, description="credit shown wherever the form is shown or printed"
    )
    url: NonEmpty | None = None
    site_licence_required: bool = Field(
        default=False,
        description="the form cannot be enabled until a site licence reference is recorded",
    )
    proprietary: bool = Field(
        default=False, description="text or scoring may not be redistributed (never shipped)"
    )


class Coding(Strict):
    """A code in a published code system (LOINC, SNOMED CT, ...), as FHIR writes it."""

    system: NonEmpty = Field(description="the code system's URL, e.g. http://loinc.org")
    code: NonEmpty
    display: NonEmpty | None = None


class Option(Strict):
    code: Code
    text: Text
    value: Number | None = Field(default=None, description="numeric value used in scoring")
    exclusive: bool = Field(
        default=False, description="multiple choice: this option cannot be combined with others"
    )
    coding: Coding | None = Field(
        default=None,
        description="the answer's code in a published code system",
        exclude_if=lambda value: value is None,
    )


class Anchor(Strict):
    value: int
    text: Text


class Validation(Strict):
    min: Number | NonEmpty | None = Field(
        default=None, description="integer: lowest value; date: earliest (YYYY-MM-DD or 'today')"
    )
    max: Number | NonEmpty | None = Field(
        default=None, description="integer: highest value; date: latest (YYYY-MM-DD or 'today')"
    )
    max_length: Annotated[int, Field(gt=0, le=10_000)] | None = None
    pattern: NonEmpty | None = Field(default=None, description="regular expression, whole answer")
    message: Text | None = Field(default=None, description="shown beside the field when invalid")


def _unset(value: object) -> bool:
    return value is None


def Declared(description: str) -> Any:
    """An optional fact about the instrument, left out of the content hash while unset.

    Keys added to the format after forms were in use: a form that does not
    declare one keeps the hash it always had, so stored responses still find it.
    """
    return Field(default=None, description=description, exclude_if=_unset)


Better = Literal["higher", "lower"]
MeasureId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}\.[a-z][a-z0-9_]{0,62}$"),
    Field(description="GROUP.NAME, e.g. ons4.anxiety: measures of one group share a chart"),
]
FlagCategory = Literal[
    "help_request",
    "money",
    "food",
    "housing",
    "isolation",
    "safety",
    "caring",
    "personal_wellbeing",
]
SOCIAL_NEEDS: frozenset[str] = frozenset(
    {"money", "food", "housing", "isolation", "safety", "caring"}
)
"""Flag categories that are social needs (a positive social-welfare screen)."""
Highlight = Literal["own_words", "questions", "essential"]
Demographic = Literal["birth_year", "home_postcode", "ethnic_category", "stated_sex"]


class Chart(Strict):
    title: NonEmpty = Field(description="staff's name for the chart of the measure's group")
    top: Annotated[Number, Field(gt=0)] = Field(description="the axis runs from 0 to at least this")
    step: Annotated[Number, Field(gt=0)] = Field(description="the distance between axis labels")


class Measure(Strict):
    id: MeasureId
    label: NonEmpty = Field(description="for staff screens, exports and reports")
    better: Better = Field(description="which way is better: higher or lower")
    chart: Chart | None = Declared("how staff see it over visits")


class Band(Strict):
    code: Code
    min: Number
    max: Number
    label: NonEmpty | None = Field(default=None, description="for staff screens and reports")


class Level(Strict):
    level: int
    min: Number
    max: Number
    label: NonEmpty | None = None


class Item(Strict):
    id: Identifier
    type: ItemType
    text: Text
    help: Text | None = None
    required: bool = False
    prefer_not: bool | None = Field(
        default=None,
        description='offer "I don\'t want to answer" (always offered on yes_no items)',
    )
    sensitive: bool = Field(default=False, description="identifiable or sensitive: never logged")
    options: list[Option] | None = None
    min: int | None = Field(default=None, description="scale: lowest point")
    max: int | None = Field(default=None, description="scale: highest point")
    anchors: list[Anchor] | None = None
    validation: Validation | None = None
    bands: list[Band] | None = None
    band_step: Annotated[float, Field(gt=0)] = 1
    enable_when: NonEmpty | None = None
    identifying: bool | None = Declared(
        "identifies the patient on its own: left out of every anonymised export"
    )
    demographic: Demographic | None = Declared(
        "the patient fact the answer records; exports show it only banded or coded"
    )
    measure: Measure | None = Declared("a measure tracked over visits")
    highlight: Highlight | None = Declared(
        "shown apart at the top of staff summaries: own_words, questions or essential"
    )
    label: NonEmpty | None = Declared("a short name for the answer on staff screens and reports")
    coding: Coding | None = Declared("the question's code in a published code system (LOINC)")


class _ScoreBase(Strict):
    id: Identifier
    label: NonEmpty | None = None
    bands: list[Band] | None = None
    band_step: Annotated[float, Field(gt=0)] = 1
    measure: Measure | None = Declared("a measure tracked over visits")
    coding: Coding | None = Declared("the score's code in a published code system (LOINC)")


class SumScore(_ScoreBase):
    kind: Literal["sum"]
    items: list[Identifier]
    min_answered: Annotated[int, Field(ge=1)] | None = None


class MeanScore(_ScoreBase):
    kind: Literal["mean"]
    items: list[Identifier]
    min_answered: Annotated[int, Field(ge=1)] | None = None
    round: Annotated[int, Field(ge=0, le=6)] = 2


class ConditionScore(_ScoreBase):
    kind: Literal["condition"]
    when: NonEmpty


class LookupScore(_ScoreBase):
    kind: Literal["lookup"]
    of: Identifier
    table: dict[int, Number] | None = None
    table_file: NonEmpty | None = Field(
        default=None, description="CSV file beside the form: raw,converted per line"
    )


class LevelsScore(_ScoreBase):
    kind: Literal["levels"]
    of: Identifier
    levels: list[Level]
    level_step: Annotated[float, Field(gt=0)] = 1


class ChangeScore(_ScoreBase):
    kind: Literal["change"]
    baseline: NonEmpty = Field(description="baseline.ITEM or baseline.SCORE")
    followup: Identifier


Score = Annotated[
    SumScore | MeanScore | ConditionScore | LookupScore | LevelsScore | ChangeScore,
    Field(discriminator="kind"),
]
SCORE_KINDS = ("sum", "mean", "condition", "lookup", "levels", "change")


class Flag(Strict):
    id: Identifier
    severity: Severity
    reason: NonEmpty = Field(
        description="written for staff: what the patient said and why it matters"
    )
    when: NonEmpty
    category: FlagCategory | None = Declared(
        "what the flag marks: help_request, a social need, or personal_wellbeing"
    )
    word: NonEmpty | None = Declared("a word or two for staff lists (the reason says the rest)")


class Baseline(Strict):
    form: Identifier
    items: list[Identifier] = Field(description="baseline answers and scores this form may use")


class FormSpec(Strict):
    format: Literal[1] = 1
    id: Identifier
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")]
    title: Text
    description: Text | None = None
    source: Source
    licence: Licence
    languages: dict[LanguageCode, Literal["validated", "draft"]]
    baseline: Baseline | None = None
    items: list[Item]
    scores: list[Score] = []
    flags: list[Flag] = []


class Pathway(Strict):
    id: Identifier
    title: NonEmpty
    forms: list[Identifier]


class PathwaysSpec(Strict):
    format: Literal[1] = 1
    pathways: list[Pathway]
