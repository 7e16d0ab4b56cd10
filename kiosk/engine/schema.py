"""The form file format, as pydantic models.

These models are the machine-checkable schema of ``forms/*.yaml`` (exported as
JSON Schema by ``kiosk forms schema``). They check *shape*: keys, types, id
syntax. Cross-references (an ``enable_when`` naming a later item, a banding
table with a gap, ...) are checked by :mod:`kiosk.engine.checks`.

docs/forms.md describes every key for form authors.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, StringConstraints

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


class Option(Strict):
    code: Code
    text: Text
    value: Number | None = Field(default=None, description="numeric value used in scoring")
    exclusive: bool = Field(
        default=False, description="multiple choice: this option cannot be combined with others"
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


class _ScoreBase(Strict):
    id: Identifier
    label: NonEmpty | None = None
    bands: list[Band] | None = None
    band_step: Annotated[float, Field(gt=0)] = 1


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
    severity: Literal["urgent", "high", "routine"]
    reason: NonEmpty = Field(
        description="written for staff: what the patient said and why it matters"
    )
    when: NonEmpty


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
