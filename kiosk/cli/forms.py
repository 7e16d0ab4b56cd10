"""``kiosk forms ...``: list, check, score, enable and disable questionnaire forms.

Exit codes: 0 done, 1 the forms (or the licence register) have problems, 2 bad input
(known errors not handled here reach :func:`kiosk.cli.main.main`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.cli import forms_import, paper, preview
from kiosk.cli.errors import EXIT_BAD_INPUT, CommandError, fail
from kiosk.engine import AnswerError, FormError, FormLibrary, check_paths
from kiosk.engine.form import Form
from kiosk.engine.schema import FormSpec, PathwaysSpec
from kiosk.site import paths
from kiosk.site.licences import LicenceRegister, LicenceRegisterError

EXIT_OK, EXIT_INVALID = 0, 1


def register(commands: Any) -> None:
    forms = commands.add_parser("forms", help="list, check and score questionnaire forms")
    sub = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="every form: id, version, languages, licence status")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(handler=list_forms)

    p = sub.add_parser("check", help="check form and pathway files; one line per problem")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: all forms)")
    p.set_defaults(handler=check_forms)

    p = sub.add_parser("score", help="score one response and print the result as JSON")
    p.add_argument("form_id", metavar="FORM_ID")
    p.add_argument(
        "--answers",
        required=True,
        metavar="FILE",
        help='JSON {"item_id": answer, ...}; - reads standard input',
    )
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="JSON answers and scores of the baseline response (follow-up forms)",
    )
    p.add_argument(
        "--version",
        dest="form_version",
        metavar="VERSION",
        help="score against this version (default: the newest)",
    )
    p.set_defaults(handler=score_response)

    p = sub.add_parser("enable", help="record the site licence that a licensed form needs")
    p.add_argument("form_id", metavar="FORM_ID")
    p.add_argument("--licence", required=True, metavar="REF", help="the site's licence reference")
    p.set_defaults(handler=enable_form)

    p = sub.add_parser("disable", help="remove a form's site licence record")
    p.add_argument("form_id", metavar="FORM_ID")
    p.set_defaults(handler=disable_form)

    preview.register(sub, _library, lambda: LicenceRegister(paths.data_dir()).references())
    paper.register(sub, _library, lambda: LicenceRegister(paths.data_dir()).references())
    forms_import.register(sub)

    p = sub.add_parser("schema", help="print the JSON Schema of form or pathway files")
    p.add_argument("which", nargs="?", choices=["form", "pathways"], default="form")
    p.set_defaults(handler=print_schema)


def _forms_have_problems(exc: FormError) -> int:
    return fail(f"the forms have problems (run 'kiosk forms check'):\n{exc}", EXIT_INVALID)


def _library() -> FormLibrary:
    return FormLibrary.load(*paths.form_dirs())


# ---------------------------------------------------------------- list


def licence_status(form: Form, references: dict[str, str]) -> str:
    licence = form.spec.licence
    if not licence.site_licence_required:
        return f"open: {licence.name}"
    reference = references.get(form.licence_key)
    if reference:
        return f"licensed: {reference}"
    return f"disabled: needs a site licence (kiosk forms enable {form.licence_key} --licence REF)"


def list_forms(args: argparse.Namespace) -> int:
    try:
        library = _library()
        references = LicenceRegister(paths.data_dir()).references()
    except FormError as exc:
        return _forms_have_problems(exc)
    except LicenceRegisterError as exc:
        return fail(exc, EXIT_INVALID)
    rows: list[dict[str, Any]] = [
        {
            "id": form.id,
            "version": form.version,
            "languages": form.languages,
            "licence": licence_status(form, references),
            "enabled": form.is_enabled(references),
        }
        for form in library.forms()
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    table = [("ID", "VERSION", "LANGUAGES", "LICENCE")] + [
        (
            r["id"],
            r["version"],
            ", ".join(f"{lang} ({status})" for lang, status in r["languages"].items()),
            r["licence"],
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[3]
        )
    return EXIT_OK


# ---------------------------------------------------------------- check


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_forms(args: argparse.Namespace) -> int:
    if args.paths:
        targets = list(args.paths)
        try:
            known = _library().forms()
        except FormError:
            known = []
    else:
        targets = [_shown(folder) for folder in paths.form_dirs()]
        known = []
    report = check_paths(targets, known=known)
    for problem in report.problems:
        print(problem)
    if report.problems:
        return EXIT_INVALID
    print(f"ok: {len(report.forms)} forms and {report.pathway_files} pathway files checked")
    return EXIT_OK


# ---------------------------------------------------------------- score


def _read_json(name: str, what: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {what} file {name}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{what} file {name} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CommandError(f'{what} file {name} must hold a JSON object {{"item_id": answer}}')
    return data


def score_response(args: argparse.Namespace) -> int:
    try:
        library = _library()
        form = library.get(args.form_id, args.form_version)
        answers = _read_json(args.answers, "answers")
        baseline = _read_json(args.baseline, "baseline") if args.baseline else None
        result = form.evaluate(answers, baseline=baseline, strict=True)
    except AnswerError as exc:
        return fail(f"answer not allowed by form '{args.form_id}': {exc}", EXIT_BAD_INPUT)
    except FormError as exc:
        return _forms_have_problems(exc)
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return EXIT_OK


# ---------------------------------------------------------------- licences


def enable_form(args: argparse.Namespace) -> int:
    form = _library().get(args.form_id)
    if not form.needs_site_licence:
        print(f"{form.id} does not need a site licence; it is always enabled")
        return EXIT_OK
    record = LicenceRegister(paths.data_dir()).enable(form.licence_key, args.licence)
    covered = sorted(f.id for f in _library().forms() if f.licence_key == form.licence_key)
    print(f"{', '.join(covered)} enabled under site licence {record.reference}")
    return EXIT_OK


def disable_form(args: argparse.Namespace) -> int:
    if not LicenceRegister(paths.data_dir()).disable(args.form_id):
        return fail(f"{args.form_id} has no site licence recorded", EXIT_INVALID)
    print(f"{args.form_id} disabled: its site licence record is removed")
    return EXIT_OK


def print_schema(args: argparse.Namespace) -> int:
    model = FormSpec if args.which == "form" else PathwaysSpec
    print(json.dumps(model.model_json_schema(), indent=2))
    return EXIT_OK
