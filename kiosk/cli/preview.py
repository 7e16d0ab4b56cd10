"""``kiosk forms try PATHWAY``: answer a pathway's questions in the terminal.

For form authors and clinicians: see each question as a patient meets it,
with skip logic applied live, then the scores, bands and flags staff would
see. Nothing is stored.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kiosk.cli.errors import fail
from kiosk.engine import AnswerError, Form, FormLibrary
from kiosk.engine.answers import PREFER_NOT, allows_prefer_not, option_codes
from kiosk.engine.schema import Item

Ask = Callable[[str], str]
SKIP_HINT = "(press Enter to skip)"


def register(
    sub: Any, library: Callable[[], FormLibrary], licences: Callable[[], dict[str, str]]
) -> None:
    p = sub.add_parser(
        "try", help="answer a pathway's questions in the terminal (nothing is stored)"
    )
    p.add_argument("pathway", metavar="PATHWAY", help="e.g. cardiology")
    p.add_argument("--language", default="en")

    def run(args: argparse.Namespace) -> int:
        try:
            return try_pathway(library(), licences(), args.pathway, args.language, input)
        except (EOFError, KeyboardInterrupt):
            print("\nStopped. Nothing was stored.")
            return 0

    p.set_defaults(handler=run)


def try_pathway(
    library: FormLibrary, licences: dict[str, str], pathway_id: str, language: str, ask: Ask
) -> int:
    pathway = library.pathways.get(pathway_id)
    if pathway is None:
        known = ", ".join(sorted(library.pathways)) or "none"
        return fail(f"no pathway '{pathway_id}' (known: {known})")
    print(f"Pathway: {pathway.title}. Press Enter to skip any question.\n")
    for form_id in pathway.forms:
        form = library.get(form_id)
        if not form.is_enabled(licences):
            print(
                f"[{form.id} is skipped: it needs a site licence reference "
                f"(kiosk forms enable {form.licence_key} --licence REF)]\n"
            )
            continue
        if language not in form.languages:
            print(f"[{form.id} is skipped: it has no '{language}' text]\n")
            continue
        answers = run_form(form, language, ask)
        show_result(form, answers)
    return 0


def run_form(form: Form, language: str, ask: Ask) -> dict[str, Any]:
    spec = form.spec
    print("=" * 70)
    print(spec.title[language])
    if spec.description:
        print(spec.description[language])
    if spec.licence.attribution:
        print(f"({spec.licence.attribution})")
    answers: dict[str, Any] = {}
    for item in spec.items:
        if item.id not in form.enabled_items(answers):
            continue
        print()
        print(form.text(item.id, language))
        if item.help:
            print(f"  {item.help[language]}")
        if item.type == "info":
            ask("  [Enter to continue] ")
            continue
        answer = ask_item(form, item, language, ask)
        if answer is not None:
            answers[item.id] = answer
    return answers


def ask_item(form: Form, item: Item, language: str, ask: Ask) -> Any:
    codes = option_codes(item) if item.options or item.type == "yes_no" else ()
    for number, code in enumerate(codes, start=1):
        print(f"  {number}. {form.option_text(item.id, code, language)}")
    if item.type == "scale":
        labels = {a.value: a.text[language] for a in item.anchors or ()}
        ends = ", ".join(f"{v} = {t}" for v, t in sorted(labels.items()))
        print(f"  Choose a number from {item.min} to {item.max} ({ends})")
    if not codes and allows_prefer_not(item):
        print('  Type - for "I don\'t want to answer"')
    prompt = "  Numbers, separated by commas > " if item.type == "multi_choice" else "  > "
    while True:
        raw = ask(prompt).strip()
        if not raw:
            return None
        try:
            answer = _interpret(item, raw, codes)
            return form.normalise(item.id, answer)
        except AnswerError as exc:
            print(f"  Sorry: {exc.message}. Try again {SKIP_HINT}.")
        except ValueError:
            print(f"  Sorry: please type the number of an answer {SKIP_HINT}.")


def _interpret(item: Item, raw: str, codes: tuple[str, ...]) -> Any:
    if raw == "-" and not codes:
        return PREFER_NOT
    if item.type == "multi_choice":
        picks = [int(part) for part in raw.replace(",", " ").split()]
        return [codes[n - 1] for n in picks if 1 <= n <= len(codes)] or _bad()
    if codes:
        number = int(raw)
        return codes[number - 1] if 1 <= number <= len(codes) else _bad()
    return raw


def _bad() -> Any:
    raise ValueError("no such answer")


def show_result(form: Form, answers: dict[str, Any]) -> None:
    result = form.evaluate(answers)
    print("-" * 70)
    print(f"{form.id} {form.version}: {len(result.answers)} answered")
    for name, value in result.scores.items():
        print(f"  score {name}: {'not scored' if value is None else value}")
    for name, band in result.bands.items():
        print(f"  band {name}: {band}")
    for flag in result.flags:
        print(f"  FLAG [{flag.severity.upper()}] {flag.id}: {flag.reason}")
    if not result.flags:
        print("  no flags")
    print()
