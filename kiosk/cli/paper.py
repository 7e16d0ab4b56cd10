"""``kiosk forms paper PATHWAY``: blank paper forms to print, one PDF per pathway and language.

``--language LANG --out FILE.pdf`` writes one; ``--all DIR`` writes every pathway
in every language the tablet offers it in (draft translations only with
``--drafts``, as a clinic that sets ``[kiosk] draft_translations = true``).
Pathways whose forms need a site licence the site has not recorded are skipped
with a line saying so, as the tablet refuses to start them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.cli.errors import CommandError, fail
from kiosk.engine import FormLibrary
from kiosk.reports import write_pdf
from kiosk.reports.paper_form import (
    PaperFormError,
    offered_languages,
    paper_form_pdf,
    paper_forms,
)


def register(
    sub: Any, library: Callable[[], FormLibrary], licences: Callable[[], dict[str, str]]
) -> None:
    p = sub.add_parser("paper", help="blank paper forms of a pathway to print (PDF)")
    p.add_argument("pathway", nargs="?", metavar="PATHWAY", help="e.g. cardiology")
    p.add_argument("--language", default="en", help="the forms' language (default: en)")
    p.add_argument("--out", metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument(
        "--all",
        dest="all_dir",
        metavar="DIR",
        help="write every pathway in every offered language into DIR",
    )
    p.add_argument(
        "--drafts",
        action="store_true",
        help="with --all: include draft translations (as draft_translations = true)",
    )

    def run(args: argparse.Namespace) -> int:
        if args.all_dir:
            return write_all(library(), licences(), Path(args.all_dir), drafts=args.drafts)
        if not args.pathway or not args.out:
            raise CommandError("give PATHWAY and --out FILE.pdf, or --all DIR")
        paper = paper_forms(library(), args.pathway, args.language, licences())
        path = write_pdf(args.out, paper_form_pdf(paper))
        print(f"{path}: {paper.pathway_title}, {paper.language}, {len(paper.forms)} forms")
        return 0

    p.set_defaults(handler=run)


def write_all(library: FormLibrary, licences: dict[str, str], folder: Path, *, drafts: bool) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for pathway_id in sorted(library.pathways):
        try:
            languages = offered_languages(library, pathway_id, licences, drafts=drafts)
        except PaperFormError as exc:
            print(f"skipped {pathway_id}: {exc}")
            continue
        for language in languages:
            paper = paper_forms(library, pathway_id, language, licences)
            write_pdf(folder / f"{pathway_id}-{language}.pdf", paper_form_pdf(paper))
            written += 1
    if not written:
        return fail("no pathway could be printed")
    print(f"{written} paper forms written to {folder}")
    return 0
