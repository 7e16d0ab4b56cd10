"""``kiosk simulate``: run patient sessions headless through the real journey and store.

The same Journey, engine and tablet store the kiosk screens use; no window.
Benchmarks, fault tests and demos use it. Prints a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from kiosk.cli.errors import fail
from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers
from kiosk.envelope.keys import ClinicPublicKey
from kiosk.journey import Journey
from kiosk.site import paths
from kiosk.site.licences import LicenceRegister
from kiosk.site.settings import SETTINGS_FILE, TabletSettings
from kiosk.store import TabletStore


def register(commands: Any) -> None:
    p = commands.add_parser(
        "simulate", help="run patient sessions headless through the real session and store code"
    )
    p.add_argument("--data-dir", type=Path, required=True, metavar="DIR")
    p.add_argument("--sessions", type=int, required=True, metavar="N")
    p.add_argument(
        "--answers",
        type=Path,
        metavar="FILE",
        help='JSON {"form_id": {"item_id": answer}}; absent items are skipped '
        "(default: random valid answers)",
    )
    p.add_argument("--pathway", default="cardiology", metavar="NAME")
    p.add_argument(
        "--abandon-after",
        type=int,
        metavar="K",
        help="each session walks away (times out) after K answers",
    )
    p.add_argument(
        "--clinic-public-key",
        type=Path,
        metavar="FILE",
        help="seal for this clinic key (default: the key from enrolment)",
    )
    p.add_argument("--seed", type=int, default=None, help="seed for random answers")
    p.set_defaults(handler=simulate)


def _answer_plan(
    journey: Journey, fixed: dict[str, dict[str, Any]] | None, rng: random.Random
) -> list[tuple[str, str, Any]]:
    plan: list[tuple[str, str, Any]] = []
    for form in journey.forms:
        if fixed is not None:
            answers = fixed.get(form.id, {})
        else:
            answers = random_answers(form, rng, baseline=journey.baseline(form.id))
        plan.extend((form.id, item_id, value) for item_id, value in answers.items())
    return plan


def simulate(args: argparse.Namespace) -> int:
    if args.sessions < 0:
        return fail("--sessions must be 0 or more")
    try:
        fixed = json.loads(args.answers.read_text(encoding="utf-8")) if args.answers else None
        if fixed is not None and not isinstance(fixed, dict):
            return fail(f'{args.answers} must hold {{"form_id": {{"item_id": answer}}}}')
        key = ClinicPublicKey.load(args.clinic_public_key) if args.clinic_public_key else None
        library = FormLibrary.load(*paths.form_dirs())
        licences = LicenceRegister(paths.data_dir()).references()
        settings = TabletSettings.load(args.data_dir / SETTINGS_FILE)
        store = TabletStore.open(args.data_dir, key, retention_days=settings.outbox_retention_days)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return fail(f"cannot read input: {exc}")
    rng = random.Random(args.seed)
    submitted = abandoned = saved = 0
    try:
        for _ in range(args.sessions):
            journey = Journey(store, library, args.pathway, licences)
            plan = _answer_plan(journey, fixed, rng)
            walked_away = False
            for count, (form_id, item_id, value) in enumerate(plan):
                if args.abandon_after is not None and count >= args.abandon_after:
                    walked_away = True
                    break
                if item_id in journey.enabled_items(form_id):
                    journey.answer(form_id, item_id, value)
                    saved += 1
            if walked_away:
                journey.abandon("timed_out")
                abandoned += 1
            else:
                journey.submit()
                submitted += 1
        counts = store.counts()
    finally:
        store.close()
    print(
        json.dumps(
            {
                "sessions": args.sessions,
                "submitted": submitted,
                "abandoned": abandoned,
                "answers_saved": saved,
                "submissions_sealed": submitted + abandoned,
                "outbox": counts["outbox"],
                "quarantined": counts["quarantined"],
            },
            indent=2,
        )
    )
    return 0
