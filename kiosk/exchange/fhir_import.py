"""A FHIR R4 (SDC) Questionnaire, as JSON, into a form file of ours (YAML text).

What is carried over (docs/forms.md, "Importing a FHIR Questionnaire"): groups
as section titles, display, boolean, choice and open-choice (answerOption or a
contained answerValueSet), integer, decimal, string, text and date items;
``required``; ``enableWhen`` with ``enableBehavior`` as an ``enable_when``
condition; ``ordinalValue`` / ``itemWeight`` as option values; a
``calculatedExpression`` that sums item scores as a ``sum`` score; the first
code of each item and answer as ``coding``. Anything else is named by its JSON
pointer: the import stops with :class:`FhirImportError` unless unsupported
parts may be dropped, and then :attr:`ImportedForm.dropped` lists them.

The result is checked by the engine as ``kiosk forms check`` would, so what
this module returns always loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from kiosk.engine import FormError
from kiosk.engine.loader import form_from_text
from kiosk.exchange.errors import ExchangeError
from kiosk.exchange.fhir_import_items import CALCULATED, VARIABLE, ItemReader
from kiosk.exchange.fhir_import_options import coding

FORM_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
SUM_OF_ANSWERS = re.compile(r"answer\.value\.(weight|ordinal)\(\)\.sum\(\)\s*$")
LINK_ID_IS = re.compile(r"linkId\s*=\s*'([^']+)'")
EXISTS_OR_ZERO = re.compile(r"iif\(\s*%(\w+)\.exists\(\)\s*,\s*%\1\s*,\s*0\s*\)")
ANY_ANSWERED = re.compile(r"^iif\(\s*%(\w+)\s*,\s*(.*)\s*,\s*\{\}\s*\)$", re.S)
PLUS_CHAIN = re.compile(r"^%\w+(\s*\+\s*%\w+)*$")


class FhirImportError(ExchangeError):
    """A Questionnaire that cannot be carried over: ``problems`` are ``POINTER: why`` lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("cannot import the Questionnaire:\n" + "\n".join(problems))


@dataclass(frozen=True)
class ImportedForm:
    text: str
    """The form file, YAML with a comment at the top naming the source."""
    dropped: list[str]
    """``POINTER: why`` for each part left out (empty unless dropping was allowed)."""


def import_questionnaire(
    data: Any, form_id: str, *, drop_unsupported: bool = False, label: str = "questionnaire"
) -> ImportedForm:
    """Convert a parsed Questionnaire; ``label`` names it in the form's source."""
    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise FhirImportError(["/resourceType: not a FHIR Questionnaire"])
    if not FORM_ID.match(form_id):
        raise FhirImportError(
            [f"--id {form_id!r}: lower case letters, digits and _, from a letter"]
        )
    language = str(data.get("language") or "en").split("-")[0].lower()
    language = language if re.fullmatch(r"[a-z]{2,3}", language) else "en"
    contained = {
        f"#{r.get('id')}": r
        for r in data.get("contained", [])
        if r.get("resourceType") == "ValueSet"
    }
    reader = ItemReader(language=language, contained=contained)
    reader.read(data.get("item", []), "/item", None)
    scores = [
        score
        for at, item in reader.calculated
        if (score := sum_score(item, at, reader, data.get("extension", []))) is not None
    ]
    for index, ext in enumerate(data.get("extension", [])):
        if ext.get("url") == VARIABLE and not _variable_used(ext, reader.calculated):
            reader.note(f"/extension/{index}", "FHIRPath variables are not supported")
    if reader.problems and not drop_unsupported:
        raise FhirImportError(reader.problems)
    if not any(item["type"] != "info" for item in reader.items):
        raise FhirImportError([*reader.problems, "/item: no question could be carried over"])
    spec = form_spec(data, form_id, language, reader.items, scores, label)
    text = header(data, label) + yaml.safe_dump(
        spec, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    try:
        form_from_text(text, f"{form_id}.yaml")
    except FormError as exc:
        raise FhirImportError([f"the imported form does not pass the checks: {exc}"]) from None
    return ImportedForm(text=text, dropped=list(reader.problems))


def form_spec(
    data: dict[str, Any],
    form_id: str,
    language: str,
    items: list[dict[str, Any]],
    scores: list[dict[str, Any]],
    label: str,
) -> dict[str, Any]:
    title = data.get("title") or data.get("name") or form_id
    version = str(data.get("version") or "")
    source: dict[str, Any] = {"name": f"FHIR Questionnaire: {title}"}
    cited = ", ".join(
        part
        for part in (
            data.get("publisher"),
            f"version {version}" if version else None,
            f"imported from {label} by kiosk forms import-fhir",
        )
        if part
    )
    source["citation"] = cited
    if data.get("url"):
        source["url"] = data["url"]
    copyright_ = " ".join(str(data.get("copyright") or "").split())
    licence: dict[str, Any] = (
        {"name": "As the source Questionnaire states (see attribution)", "attribution": copyright_}
        if copyright_
        else {"name": "Not stated by the source Questionnaire: confirm before use"}
    )
    spec: dict[str, Any] = {
        "format": 1,
        "id": form_id,
        "version": version if re.fullmatch(r"\d+(\.\d+){0,2}", version) else "1",
        "title": {language: " ".join(str(title).split())},
        "source": source,
        "licence": licence,
        "languages": {language: "validated"},
        "items": items,
    }
    if scores:
        spec["scores"] = scores
    return spec


def header(data: dict[str, Any], label: str) -> str:
    canonical = "|".join(str(p) for p in (data.get("url"), data.get("version")) if p)
    lines = [
        "Imported from a FHIR Questionnaire by `kiosk forms import-fhir`.",
        f"Source: {canonical or label}",
        f"Title: {data.get('title') or data.get('name') or '(none)'}",
    ]
    codes = [f"{c.get('system')}|{c.get('code')}" for c in data.get("code", [])]
    if codes:
        lines.append(f"Code: {', '.join(codes)}")
    lines.append("Check the wording, the conditions and the scoring before patients meet it.")
    return "".join(f"# {line}\n" for line in lines)


# ---------------------------------------------------------------- calculatedExpression


def sum_score(
    item: dict[str, Any], at: str, reader: ItemReader, root_extensions: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """A calculatedExpression that adds up item scores, as a ``sum`` score; else a note."""
    extensions = item.get("extension", [])
    index = next(i for i, e in enumerate(extensions) if e.get("url") == CALCULATED)
    expression = str(extensions[index].get("valueExpression", {}).get("expression", ""))
    variables = {
        str(e["valueExpression"].get("name")): str(e["valueExpression"].get("expression", ""))
        for e in [*root_extensions, *extensions]
        if e.get("url") == VARIABLE and "valueExpression" in e
    }
    link_ids = summed_link_ids(expression, variables, item["linkId"], reader)
    where = f"{at}/extension/{index}"
    if link_ids is None:
        reader.note(where, f"the calculatedExpression {expression!r} is not a sum of item scores")
        return None
    names = []
    for link_id in link_ids:
        question = reader.questions.get(link_id)
        if question is None or not question.scored:
            reader.note(where, f"it adds up '{link_id}', which is not a scored item carried over")
            return None
        names.append(question.id)
    if item.get("enableWhen"):
        reader.note(f"{at}/enableWhen", "a condition on a calculated score is not supported")
        return None
    score: dict[str, Any] = {"id": reader.new_id(item["linkId"]), "kind": "sum"}
    if item.get("text"):
        score["label"] = " ".join(item["text"].split())
    score.update({"items": names, "min_answered": 1})
    if item.get("code"):
        score["coding"] = coding(item["code"][0])
    return score


def summed_link_ids(
    expression: str, variables: dict[str, str], own: str, reader: ItemReader
) -> list[str] | None:
    """The linkIds whose scores the expression adds up, or None if it does something else."""
    expression = expression.strip()
    if SUM_OF_ANSWERS.search(expression) and expression.count("%") == 1:
        named = [x for x in LINK_ID_IS.findall(expression) if x != own]
        if named:
            return named
        return [link for link, q in reader.questions.items() if q.scored]
    body = EXISTS_OR_ZERO.sub(lambda m: f"%{m.group(1)}", expression)
    outer = ANY_ANSWERED.match(body)
    if outer and _only_exists(variables.get(outer.group(1), "")):
        body = outer.group(2).strip()
    if not PLUS_CHAIN.match(body):
        return None
    out = []
    for name in re.findall(r"%(\w+)", body):
        links = set(LINK_ID_IS.findall(variables.get(name, "")))
        if len(links) != 1:
            return None
        out.append(links.pop())
    return out


def _only_exists(expression: str) -> bool:
    return bool(re.fullmatch(r"\s*%\w+\.exists\(\)(\s+or\s+%\w+\.exists\(\))*\s*", expression))


def _variable_used(ext: dict[str, Any], calculated: list[tuple[str, dict[str, Any]]]) -> bool:
    name = str(ext.get("valueExpression", {}).get("name"))
    return any(
        f"%{name}" in str(e.get("valueExpression", {}).get("expression", ""))
        for _, item in calculated
        for e in item.get("extension", [])
    )
