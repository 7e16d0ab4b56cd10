"""``kiosk export`` and ``kiosk imd``: administrators' exports, run on the clinic server.

kiosk export anonymised DIR --passphrase-file F --user NAME --project P --purpose TEXT
                        --out FOLDER [--include-free-text] [--shift-dates]
kiosk export appointments DIR --passphrase-file F --user NAME --purpose TEXT --out FOLDER
kiosk imd import FILE --clinic DIR [--database URL]

The named user must be an administrator of this clinic; the export is audited
under their name with its purpose. The staff console's administrator screen
does the same through the clinic service's API (docs/exports.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.clinic_target import clinic_arguments, open_clinic, target_of
from kiosk.cli.errors import fail
from kiosk.site.files import atomic_file, write_atomically


def register(commands: Any) -> None:
    export = commands.add_parser("export", help="anonymised exports for evaluation and reports")
    sub = export.add_subparsers(dest="export_command", metavar="WHAT", required=True)

    def command(name: str, help_text: str, handler: Any) -> Any:
        p = sub.add_parser(name, help=help_text)
        clinic_arguments(p)
        p.add_argument("--user", required=True, metavar="NAME", help="an administrator")
        p.add_argument("--purpose", required=True, metavar="TEXT", help="why (audited)")
        p.add_argument("--out", type=Path, required=True, metavar="FOLDER")
        p.set_defaults(handler=handler)
        return p

    p = command("anonymised", "the anonymised CSV and its data dictionary", anonymised)
    p.add_argument(
        "--project",
        required=True,
        metavar="NAME",
        help="pseudonyms are stable within a project, different across projects",
    )
    p.add_argument(
        "--include-free-text",
        action="store_true",
        help="include free text, scrubbed of numbers, emails and postcodes",
    )
    p.add_argument(
        "--shift-dates", action="store_true", help="add each day, shifted by a per-patient offset"
    )
    command("appointments", "appointment counts by month, clinic and group", appointments)
    p = command("report", "the equity and outcomes report for the board (PDF and CSV)", report)
    p.add_argument("--first", required=True, metavar="YYYY-MM", help="the first month")
    p.add_argument("--last", required=True, metavar="YYYY-MM", help="the last month")
    p.add_argument("--clinic", default=None, metavar="NAME", help="one clinic (default: all)")
    p = command("fhir", "a FHIR R4 Bundle: Questionnaires and QuestionnaireResponses", fhir)
    p.add_argument("--project", required=True, metavar="NAME")
    p.add_argument(
        "--identified",
        action="store_true",
        help="with NHS numbers, for a clinical system (audited as identified)",
    )
    p.add_argument(
        "--include-free-text",
        action="store_true",
        help="anonymised: include free-text answers (identified always does)",
    )

    imd = commands.add_parser("imd", help="the site's postcode to IMD lookup")
    imd_sub = imd.add_subparsers(dest="imd_command", metavar="ACTION", required=True)
    p = imd_sub.add_parser("import", help="load an ONS postcode-to-LSOA-to-IMD CSV file")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--clinic", dest="folder", type=Path, default=None, metavar="DIR", help="the clinic folder"
    )
    p.add_argument("--config", type=Path, default=None, metavar="FILE", help="or its settings")
    p.add_argument("--database", default=None, metavar="URL", help="default: DIR/clinic.db")
    p.set_defaults(handler=imd_import, passphrase_file=None)


def _administrator(service: Any, username: str) -> str:
    from kiosk.clinic.local_admin import administrator_actor

    return administrator_actor(service, username, remote="command line")


def _write(path: Path, chunks: Any) -> int:
    """Write the pieces to ``path`` whole or not at all; the number of rows."""
    lines = 0
    with atomic_file(path, mode=None) as handle:  # mode as the umask allows, like any export
        for piece in chunks:
            handle.write(piece.encode("utf-8"))
            lines += piece.count("\n")
    return lines


def anonymised(args: argparse.Namespace) -> int:
    from kiosk.clinic.exports.anonymity import ExportOptions
    from kiosk.clinic.exports.audit import start_export

    options = ExportOptions(args.project, args.purpose, args.include_free_text, args.shift_dates)
    try:
        options.check()
        service = open_clinic(args)
        actor = _administrator(service, args.user)
        args.out.mkdir(parents=True, exist_ok=True)
        exporter = start_export(service, options, actor, remote="command line")
        suffix = "-free-text" if options.include_free_text else ""
        csv_path = args.out / f"{options.project}-anonymised{suffix}.csv"
        assert exporter.run is not None
        rows = _write(csv_path, exporter.run.csv(exporter)) - 1
        dictionary = args.out / f"{options.project}-dictionary{suffix}.md"
        _write(dictionary, [exporter.dictionary()])
    except OSError as exc:
        return fail(exc)
    print(f"{rows} rows written to {csv_path}; columns described in {dictionary}")
    if options.include_free_text:
        print("this export contains free text: handle it as personal data")
    return 0


def fhir(args: argparse.Namespace) -> int:
    from kiosk.clinic.exports.anonymity import ExportOptions
    from kiosk.clinic.exports.audit import start_export
    from kiosk.clinic.exports.fhir import fhir_chunks

    options = ExportOptions(args.project, args.purpose, args.include_free_text, False)
    what = "fhir_identified" if args.identified else "fhir_anonymised"
    try:
        options.check()
        service = open_clinic(args)
        actor = _administrator(service, args.user)
        args.out.mkdir(parents=True, exist_ok=True)
        run = start_export(service, options, actor, what=what, remote="command line").run
        assert run is not None
        path = args.out / f"{options.project}-fhir{'-identified' if args.identified else ''}.json"
        _write(path, run.fhir(fhir_chunks(service, options, identified=args.identified)))
    except OSError as exc:
        return fail(exc)
    print(f"FHIR bundle written to {path}")
    if args.identified:
        print("this bundle holds NHS numbers: send it only to the clinical system it is for")
    return 0


def report(args: argparse.Namespace) -> int:
    from kiosk.clinic.exports.board import board_report

    try:
        service = open_clinic(args)
        actor = _administrator(service, args.user)
        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        for kind in ("pdf", "csv"):
            body = board_report(
                service,
                first=args.first,
                last=args.last,
                clinic=args.clinic,
                kind=kind,
                actor=actor,
                remote="command line",
            )
            path = args.out / f"report-{args.first}-{args.last}.{kind}"
            write_atomically(path, body, mode=None)
            written.append(str(path))
    except OSError as exc:
        return fail(exc)
    except ModuleNotFoundError as exc:  # the tablet bundle leaves out scipy and numpy
        return fail(
            f"the board report needs {exc.name}, which this installation does not have "
            "(the tablet bundle leaves it out): make the report on the clinic server"
        )
    print("report written to " + " and ".join(written))
    return 0


def appointments(args: argparse.Namespace) -> int:
    from kiosk.clinic.imd import appointments_csv

    try:
        service = open_clinic(args)
        actor = _administrator(service, args.user)
        args.out.mkdir(parents=True, exist_ok=True)
        with service.transaction() as db:
            text = appointments_csv(db)
            service.audit(
                db,
                actor,
                "export",
                "ok: appointments",
                remote="command line",
                detail=f"purpose: {args.purpose}",
            )
        path = args.out / "appointments.csv"
        _write(path, [text])
    except OSError as exc:
        return fail(exc)
    print(f"appointment counts written to {path}")
    return 0


def imd_import(args: argparse.Namespace) -> int:
    from kiosk.clinic.local_admin import import_imd_lookup

    try:
        target = target_of(args)
        if target.database is None and not (target.folder / "clinic.db").exists():
            raise FileNotFoundError(f"{target.folder} holds no clinic database (clinic.db)")
        report = import_imd_lookup(target.database_url, args.file, "command line")
    except OSError as exc:
        return fail(exc)
    print(
        f"{report.postcodes} postcodes loaded; {report.skipped} rows without an IMD value "
        "(outside England, or terminated) skipped"
    )
    return 0
