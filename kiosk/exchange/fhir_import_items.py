"""FHIR Questionnaire items into form-file items, for :mod:`kiosk.exchange.fhir_import`.

One :class:`ItemReader` walks the item tree in order. Groups become ``info``
items carrying their text (a section title) and lend their ``enableWhen`` to
every item inside them; each question becomes one of our item types, with its
first code kept as ``coding``. Whatever cannot be carried over is noted with
its JSON pointer, and the item that needs it is left out, so an ``enableWhen``
naming it is noted in turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kiosk.exchange.fhir_import_options import (
    answer_option,
    coding,
    expansion_options,
    option_key,
)

EXT = "http://hl7.org/fhir/StructureDefinition/"
SDC = "http://hl7.org/fhir/uv/sdc/StructureDefinition/"
CALCULATED = SDC + "sdc-questionnaire-calculatedExpression"
VARIABLE = EXT + "variable"
MIN_OCCURS = EXT + "questionnaire-minOccurs"
MIN_VALUE, MAX_VALUE = EXT + "minValue", EXT + "maxValue"
PRESENTATION = frozenset(
    EXT + name
    for name in (
        "questionnaire-itemControl",
        "questionnaire-displayCategory",
        "questionnaire-optionPrefix",
        "questionnaire-choiceOrientation",
        "questionnaire-unit",
        "questionnaire-unitOption",
        "questionnaire-maxOccurs",
        "rendering-xhtml",
        "rendering-style",
        "rendering-markdown",
        "entryFormat",
        "maxDecimalPlaces",
    )
) | {SDC + "sdc-questionnaire-observationLinkPeriod", SDC + "sdc-questionnaire-observationExtract"}
"""Extensions that change how an item looks or is pre-filled, not what it asks: left behind."""

TYPES = {
    "boolean": "yes_no",
    "choice": "single_choice",
    "open-choice": "single_choice",
    "integer": "integer",
    "decimal": "short_text",
    "string": "short_text",
    "text": "long_text",
    "date": "date",
    "display": "info",
}
DECIMAL_PATTERN = r"-?[0-9]+([.,][0-9]+)?"
ITEM_KEYS = frozenset(
    {"linkId", "text", "type", "required", "enableWhen", "enableBehavior", "answerOption"}
    | {"answerValueSet", "item", "code", "extension", "prefix", "maxLength", "repeats", "id"}
    | {"definition", "readOnly", "_text", "_prefix"}
)
OPERATORS = frozenset({"=", "!=", "<", "<=", ">", ">="})


def slug(text: str, *, pattern: str = "[^a-z0-9]+") -> str:
    return re.sub(pattern, "_", text.lower()).strip("_")


@dataclass
class Question:
    """What an ``enableWhen`` needs to know about an item already read."""

    id: str
    type: str
    options: dict[tuple[str, str], str] = field(default_factory=dict)
    """(answer kind, value) -> our option code, e.g. ("coding", "LA6568-5"), ("integer", "3")."""
    scored: bool = False


@dataclass
class ItemReader:
    language: str
    contained: dict[str, dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    questions: dict[str, Question] = field(default_factory=dict)  # by linkId
    calculated: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)

    # ------------------------------------------------------------ ids, text

    def new_id(self, link_id: str) -> str:
        base = slug(link_id)[:56] or "item"
        if not base[0].isalpha():
            base = f"q_{base}"
        name, n = base, 2
        while name in self.used_ids:
            name, n = f"{base}_{n}", n + 1
        self.used_ids.add(name)
        return name

    def text(self, value: str) -> dict[str, str]:
        return {self.language: " ".join(value.split())}

    def note(self, pointer: str, message: str) -> None:
        self.problems.append(f"{pointer}: {message}")

    # ------------------------------------------------------------ the tree

    def read(self, items: list[dict[str, Any]], pointer: str, condition: str | None) -> None:
        for index, item in enumerate(items):
            self.read_item(item, f"{pointer}/{index}", condition)

    def read_item(self, item: dict[str, Any], at: str, inherited: str | None) -> None:
        before = len(self.problems)
        kind = item.get("type")
        extensions = {e.get("url"): e for e in item.get("extension", [])}
        if CALCULATED in extensions:
            self.calculated.append((at, item))
            return
        for key in sorted(set(item) - ITEM_KEYS):
            self.note(f"{at}/{key}", f"'{key}' is not carried over")
        if item.get("readOnly"):
            self.note(f"{at}/readOnly", "read-only items are not supported")
        required = bool(item.get("required"))
        validation: dict[str, Any] = {}
        for index, ext in enumerate(item.get("extension", [])):
            url = ext.get("url", "")
            if url == MIN_OCCURS:
                required = required or ext.get("valueInteger", 0) >= 1
            elif url in (MIN_VALUE, MAX_VALUE) and kind in ("integer", "date"):
                value = ext.get("valueInteger", ext.get("valueDate"))
                validation["min" if url == MIN_VALUE else "max"] = value
            elif url not in PRESENTATION:
                what = (
                    "FHIRPath expressions are" if "Expression" in url or url == VARIABLE else None
                )
                self.note(
                    f"{at}/extension/{index}",
                    f"{what or 'the extension ' + url + ' is'} not supported",
                )
        condition = self.condition(item, at)
        if condition is not None and inherited:
            condition = f"({inherited}) and ({condition})" if condition else inherited
        condition = condition if condition is not None else inherited
        if kind == "group":
            if item.get("repeats"):
                self.note(f"{at}/repeats", "repeating groups are not supported")
                return
            if len(self.problems) > before:
                return
            if item.get("text"):
                self.emit(item, "info", self.new_id(item["linkId"]), condition, False, {})
            self.read(item.get("item", []), f"{at}/item", condition)
            return
        our = TYPES.get(str(kind))
        if our is None:
            self.note(f"{at}/type", f"items of type '{kind}' are not supported")
            return
        if item.get("repeats"):
            if kind == "choice":
                our = "multi_choice"
            else:
                self.note(f"{at}/repeats", "repeating items are not supported")
        help_text = self.help_text(item, at)
        if not item.get("text"):
            self.note(f"{at}/text", "an item without text cannot be asked")
        if len(self.problems) > before:
            return
        if kind in ("string", "text") and item.get("maxLength"):
            validation["max_length"] = item["maxLength"]
        if kind == "decimal":
            validation["pattern"] = DECIMAL_PATTERN
        question = Question(self.new_id(item["linkId"]), our)
        out = self.emit(item, our, question.id, condition, required, validation)
        if help_text:
            out["help"] = self.text(help_text)
        if kind in ("choice", "open-choice"):
            options = self.options(item, at, question)
            if options is None:
                self.items.pop()
                return
            out["options"] = options
            question.scored = bool(options) and all("value" in o for o in options)
        self.questions[item["linkId"]] = question
        if kind == "open-choice":
            self.open_choice(item, question, out)

    def help_text(self, item: dict[str, Any], at: str) -> str:
        """A question's help: a display item under it shown as help; nothing else may be there."""
        texts = []
        for index, child in enumerate(item.get("item", [])):
            controls = [
                c.get("code")
                for e in child.get("extension", [])
                if e.get("url") == EXT + "questionnaire-itemControl"
                for c in e.get("valueCodeableConcept", {}).get("coding", [])
            ]
            if child.get("type") == "display" and "help" in controls and child.get("text"):
                texts.append(child["text"])
            else:
                self.note(f"{at}/item/{index}", "items nested under a question are not supported")
        return " ".join(texts)

    def emit(
        self,
        item: dict[str, Any],
        our: str,
        item_id: str,
        condition: str | None,
        required: bool,
        validation: dict[str, Any],
    ) -> dict[str, Any]:
        text = item.get("text", "")
        if item.get("prefix"):
            text = f"{item['prefix']} {text}"
        out: dict[str, Any] = {"id": item_id, "type": our, "text": self.text(text)}
        if required and our != "info":
            out["required"] = True
        if validation:
            out["validation"] = validation
        if condition:
            out["enable_when"] = condition
        if item.get("code"):
            out["coding"] = coding(item["code"][0])
        self.items.append(out)
        return out

    def open_choice(self, item: dict[str, Any], question: Question, out: dict[str, Any]) -> None:
        """Open choice: the options, an "Other" option, and the other answer in words."""
        other = "other" if "other" not in {o["code"] for o in out["options"]} else "other_answer"
        out["options"].append({"code": other, "text": self.text("Other")})
        question.scored = False
        self.items.append(
            {
                "id": self.new_id(f"{question.id}_other"),
                "type": "short_text",
                "text": self.text(f"{item['text']} (other)"),
                "enable_when": f"{question.id} = '{other}'",
            }
        )

    # ------------------------------------------------------------ options

    def options(
        self, item: dict[str, Any], at: str, question: Question
    ) -> list[dict[str, Any]] | None:
        if "answerValueSet" in item:
            reference = item["answerValueSet"]
            valueset = self.contained.get(reference)
            if valueset is None:
                self.note(
                    f"{at}/answerValueSet",
                    f"only a contained answerValueSet can be read, not {reference}",
                )
                return None
            entries = list(expansion_options(valueset))
            where = f"{at}/answerValueSet"
        else:
            entries = []
            for index, option in enumerate(item.get("answerOption", [])):
                entry = answer_option(option)
                if entry is None:
                    self.note(
                        f"{at}/answerOption/{index}",
                        "only coded, text and whole-number options are supported",
                    )
                    return None
                entries.append(entry)
            where = f"{at}/answerOption"
        if len(entries) < 2:
            self.note(where, "a choice needs at least two options")
            return None
        out: list[dict[str, Any]] = []
        for kind, value, display, weight, code in entries:
            ours = re.sub("[^A-Za-z0-9_-]+", "_", value).strip("_-")[:40] or "option"
            if not ours[0].isalnum():
                ours = f"o{ours}"[:40]
            while ours in question.options.values():
                ours = f"{ours[:36]}_{len(out)}"
            question.options[(kind, value)] = ours
            choice: dict[str, Any] = {"code": ours, "text": self.text(display)}
            if weight is not None:
                choice["value"] = int(weight) if float(weight).is_integer() else weight
            if code is not None:
                choice["coding"] = code
            out.append(choice)
        return out

    # ------------------------------------------------------------ enableWhen

    def condition(self, item: dict[str, Any], at: str) -> str | None:
        rules = item.get("enableWhen", [])
        if not rules:
            return None
        parts = [self.rule(rule, f"{at}/enableWhen/{i}") for i, rule in enumerate(rules)]
        if any(part is None for part in parts):
            return ""
        joiner = " or " if item.get("enableBehavior") == "any" else " and "
        if len(parts) == 1:
            return str(parts[0])
        return joiner.join(f"({part})" if " " in str(part) else str(part) for part in parts)

    def rule(self, rule: dict[str, Any], at: str) -> str | None:
        question = self.questions.get(rule.get("question", ""))
        if question is None:
            self.note(
                f"{at}/question",
                f"'{rule.get('question')}' is not an earlier question that is carried over",
            )
            return None
        op = rule.get("operator")
        answers = [k for k in rule if k.startswith("answer")]
        answer_key = answers[0] if answers else ""
        value = rule.get(answer_key)
        name = question.id
        if op == "exists":
            return f"answered({name})" if value else f"not answered({name})"
        if op not in OPERATORS:
            self.note(f"{at}/operator", f"the operator '{op}' is not supported")
            return None
        if question.type == "yes_no" and answer_key == "answerBoolean" and op in ("=", "!="):
            return f"{name} {op} '{'yes' if value else 'no'}'"
        whole = int(value) if isinstance(value, int | float) and value == int(value) else None
        numeric = answer_key in ("answerInteger", "answerDecimal")
        if question.type == "integer" and numeric and whole is not None:
            return f"{name} {op} {whole}"
        if question.options and op in ("=", "!="):
            key = option_key(answer_key, value)
            code = question.options.get(key) if key else None
            if code is not None:
                if question.type == "multi_choice":
                    test = f"includes({name}, '{code}')"
                    return test if op == "=" else f"not {test}"
                return f"{name} {op} '{code}'"
        self.note(
            f"{at}/{answer_key or 'operator'}",
            f"a condition '{op}' on {answer_key or 'no answer'} of a {question.type} item "
            "cannot be carried over",
        )
        return None
