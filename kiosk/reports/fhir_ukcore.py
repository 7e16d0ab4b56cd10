"""National codes in the FHIR export: the UK Core ethnic category of the clinic's nation.

A form records ethnicity as its own option codes (``demographic:
ethnic_category``). Which national CodeSystem those answers are sent in, and the
code each option has there, is data: ``resources/fhir/ethnic-category.yaml``,
one list per nation (England, Wales), chosen by the clinic's ``[clinic] nation``
setting. :func:`with_national_codes` recodes a Questionnaire's answer options
and a QuestionnaireResponse's answers for that item; everything else is left as
kiosk.reports.fhir made it. docs/exports.md ("UK Core codes") lists the codes.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kiosk.engine.form import Form
from kiosk.reports.fhir_validation import FhirError
from kiosk.site.paths import installed

NATIONS = ("england", "wales")
DEFAULT_NATION = "england"
ETHNIC_CATEGORY_FILE = "fhir/ethnic-category.yaml"


@dataclass(frozen=True)
class NationalCodes:
    """One nation's CodeSystem for a demographic fact: form option code -> (code, display)."""

    demographic: str
    system: str
    codes: Mapping[str, tuple[str, str]]

    def coding(self, option_code: str) -> dict[str, str] | None:
        found = self.codes.get(option_code)
        if found is None:
            return None
        return {"system": self.system, "code": found[0], "display": found[1]}


def national_codes(nation: str, resources: Path | None = None) -> NationalCodes:
    """The ethnic category codes of ``nation`` (``england`` or ``wales``)."""
    if nation not in NATIONS:
        raise FhirError(f"nation {nation!r} is not one of {', '.join(NATIONS)}")
    path = (resources or installed("resources")) / ETHNIC_CATEGORY_FILE
    return _load(path)[nation]


@functools.cache
def _load(path: Path) -> dict[str, NationalCodes]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FhirError(f"{path}: the national code lists cannot be read ({error})") from None
    try:
        demographic = str(data["demographic"])
        out = {}
        for nation, listing in data["nations"].items():
            codes = {
                str(option): (str(entry["code"]), str(entry["display"]))
                for option, entry in listing["codes"].items()
            }
            out[str(nation)] = NationalCodes(demographic, str(listing["system"]), codes)
    except (KeyError, TypeError, AttributeError):
        raise FhirError(
            f"{path}: needs demographic, and nations: NATION: system, codes: "
            "OPTION: {code, display}"
        ) from None
    missing = [n for n in NATIONS if n not in out]
    if missing:
        raise FhirError(f"{path}: no code list for {', '.join(missing)}")
    return out


def with_national_codes(
    resource: dict[str, Any], form: Form, codes: NationalCodes
) -> dict[str, Any]:
    """A copy of ``form``'s Questionnaire or QuestionnaireResponse with the answers to
    its item recording ``codes.demographic`` coded in the national CodeSystem.

    Options with no national code keep the form's own coding."""
    item = form.demographic_items.get(codes.demographic)
    if item is None:
        return resource
    out = copy.deepcopy(resource)
    for element in _codings(out, item.id):
        national = codes.coding(element["valueCoding"]["code"])
        if national is not None:
            # the form's own words (and their translations) name our option, not
            # the national concept, so they go with the form's code
            extensions = element["valueCoding"].get("extension")
            element["valueCoding"] = national | ({"extension": extensions} if extensions else {})
    return out


def _codings(resource: dict[str, Any], link_id: str) -> Iterator[dict[str, Any]]:
    kind = resource.get("resourceType")
    key = {"Questionnaire": "answerOption", "QuestionnaireResponse": "answer"}.get(str(kind))
    if key is None:
        raise FhirError(f"{kind!r}: only Questionnaires and QuestionnaireResponses are recoded")
    for item in _items(resource.get("item") or []):
        if item.get("linkId") == link_id:
            yield from (e for e in item.get(key) or [] if "valueCoding" in e)


def _items(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from _items(item.get("item") or [])
