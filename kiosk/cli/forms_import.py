"""``kiosk forms import-fhir FILE --id ID``: a FHIR R4 (SDC) Questionnaire as a form file.

Exit codes: 0 written, 1 the Questionnaire has parts that cannot be carried over
(each named by its JSON pointer; ``--drop-unsupported`` leaves them out and says
so), 2 bad input (a file that cannot be read, not JSON, not a Questionnaire).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from kiosk.cli.errors import CommandError, fail
from kiosk.exchange.fhir_import import FhirImportError, import_questionnaire

EXIT_UNSUPPORTED = 1


def register(sub: Any) -> None:
    p = sub.add_parser("import-fhir", help="turn a FHIR R4 (SDC) Questionnaire into a form file")
    p.add_argument("file", metavar="FILE", help="the Questionnaire, as JSON")
    p.add_argument("--id", dest="form_id", required=True, metavar="ID", help="the new form's id")
    p.add_argument("--out", metavar="PATH", help="where to write the form (default: ID.yaml)")
    p.add_argument(
        "--drop-unsupported",
        action="store_true",
        help="leave out what cannot be carried over (listed) instead of stopping",
    )
    p.set_defaults(handler=import_fhir)


def import_fhir(args: argparse.Namespace) -> int:
    source = Path(args.file)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {source}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{source} is not valid JSON: {exc}") from None
    try:
        imported = import_questionnaire(
            data, args.form_id, drop_unsupported=args.drop_unsupported, label=source.name
        )
    except FhirImportError as exc:
        hint = "" if args.drop_unsupported else "\n(--drop-unsupported leaves these out)"
        return fail(f"{source}: {exc}{hint}", EXIT_UNSUPPORTED)
    out = Path(args.out or f"{args.form_id}.yaml")
    try:
        out.write_text(imported.text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc}") from None
    for line in imported.dropped:
        print(f"dropped {line}")
    print(f"{out}: form '{args.form_id}' imported from {source}")
    print(f"check its wording and scoring, then: kiosk forms check {out}")
    return 0
