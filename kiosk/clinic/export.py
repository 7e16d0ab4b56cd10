"""The anonymised export (docs/exports.md): one CSV row per submission, streamed, and
a data dictionary generated from the forms.

Pseudonyms are HMAC-SHA256 under a per-project key derived from the server key,
so one project's exports link to each other, other projects' do not, and
nobody without the server key can reverse or recompute them. Identifiers are
never read: the patient pseudonym comes from the stored patient key (itself a
keyed HMAC), IMD from the postcode answer through the site's lookup, and age
from the year of birth, banded.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.clinic.errors import Invalid
from kiosk.clinic.imd import NOT_STATED, compact_postcode, deciles_for, ethnic_group, quintile
from kiosk.clinic.models import Flag, Referral, Response, Submission, Triage
from kiosk.clinic.scope import describe, within
from kiosk.clinic.scrub import REMOVED, scrub
from kiosk.engine import Form, FormLibrary, UnknownFormError
from kiosk.engine.answers import PREFER_NOT
from kiosk.engine.facts import social_need_flags
from kiosk.reports.csv_cells import safe_cell, safe_mapping

if TYPE_CHECKING:
    from kiosk.clinic.plumbing import Core as ClinicService

FIXED_COLUMNS = (
    "submission",
    "patient",
    "visit",
    "period",
    "date",
    "clinic",
    "pathway",
    "language",
    "link_method",
    "complete",
    "age_band",
    "sex",
    "ethnicity",
    "ethnic_group",
    "imd_decile",
    "imd_quintile",
    "screened",
    "screen_positive",
    "wants_help",
    "financial_hardship",
    "flags",
    "triage_status",
    "triaged",
    "referred",
    "referrals",
)
FREE_TEXT_TYPES = frozenset({"short_text", "long_text"})
AGE_BANDS = (
    (16, "16-24"),
    (25, "25-34"),
    (35, "35-44"),
    (45, "45-54"),
    (55, "55-64"),
    (65, "65-74"),
    (75, "75-84"),
    (85, "85+"),
)
_CHUNK = 1000


@dataclass(frozen=True)
class ExportFacts:
    """What the export needs to know about the instruments, as the forms declare it.

    Items recording a ``demographic`` are never exported as themselves: the
    age_band, imd_*, ethnicity and sex columns replace them. ``screens``: forms with
    social-need flags (answering one counts as screened)."""

    demographic: dict[str, tuple[str, str]]  # kind -> (form id, item id)
    screens: frozenset[str]
    social_needs: frozenset[str]
    help_requests: frozenset[str]
    money: frozenset[str]

    @classmethod
    def of(cls, library: FormLibrary) -> ExportFacts:
        demographic: dict[str, tuple[str, str]] = {}
        screens: set[str] = set()
        needs: set[str] = set()
        helps: set[str] = set()
        money: set[str] = set()
        for form in library.forms():
            for kind, item in form.demographic_items.items():
                demographic.setdefault(kind, (form.id, item.id))
            if form.social_need_flags:
                screens.add(form.id)
            needs |= form.social_need_flags
            helps |= form.help_flags
            money |= social_need_flags(form.spec, "money")
        return cls(demographic, frozenset(screens), frozenset(needs), frozenset(helps),
                   frozenset(money))  # fmt: skip

    def answer(self, answers: dict[str, dict[str, Any]], kind: str) -> Any:
        """The answer recording this demographic fact, if any."""
        form_id, item_id = self.demographic.get(kind, ("", ""))
        return answers.get(form_id, {}).get(item_id)


class ExportError(Invalid):
    """An export that cannot be made as asked; the message says why."""


def age_band(year_of_birth: Any, answered_year: int) -> str:
    if year_of_birth == PREFER_NOT:
        return PREFER_NOT
    if not isinstance(year_of_birth, int):
        return ""
    age = answered_year - year_of_birth
    if age < 16:
        return "under 16"
    band = ""
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            band = name
    return band


@dataclass(frozen=True)
class ExportOptions:
    project: str
    purpose: str
    include_free_text: bool = False
    shift_dates: bool = False
    # The clinics the exporting user is limited to (kiosk/clinic/scope.py); None: all.
    clinics: tuple[str, ...] | None = None

    def check(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", self.project):
            raise ExportError(
                "a project name is 1-64 letters, digits, dots, hyphens or underscores"
            )
        if len(self.purpose.strip()) < 10:
            raise ExportError("say why the data is being exported (at least 10 characters)")


class Pseudonyms:
    """Stable within a project, different across projects, not reversible."""

    def __init__(self, export_key: bytes, project: str) -> None:
        self._key = hmac.new(export_key, b"project:" + project.encode(), hashlib.sha256).digest()

    def of(self, kind: str, value: str) -> str:
        return hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:16]

    def day_shift(self, value: str) -> int:
        digest = hmac.new(self._key, f"shift:{value}".encode(), hashlib.sha256).digest()
        return int.from_bytes(digest[:4], "big") % 361 - 180


class Exporter:
    """Columns from the library; rows streamed from the database, a chunk at a time."""

    def __init__(self, service: ClinicService, options: ExportOptions) -> None:
        options.check()
        self.service = service
        self.options = options
        self.library: FormLibrary = service.library
        self.pseudonyms = Pseudonyms(service.secrets.export_key, options.project)
        self.facts = ExportFacts.of(self.library)
        self.instrument = self._instrument_columns()
        self.free_text = frozenset(
            f"{form.id}.{item.id}"
            for form in self.library.forms()
            for item in form.spec.items
            if item.type in FREE_TEXT_TYPES
        )
        self.columns = FIXED_COLUMNS + tuple(name for name, _f, _k, _i in self.instrument)
        self.rows_written = 0
        self.run: ExportRun | None = None  # set by start_export

    def _instrument_columns(self) -> list[tuple[str, str, str, str]]:
        """(column, form id, "answer" | "score", item or score id), in form order."""
        out: list[tuple[str, str, str, str]] = []
        for form in self.library.forms():
            for item in form.spec.items:
                if item.type == "info" or item.demographic is not None:
                    continue
                if item.type in FREE_TEXT_TYPES and not self.options.include_free_text:
                    continue
                out.append((f"{form.id}.{item.id}", form.id, "answer", item.id))
            for score in form.spec.scores:
                out.append((f"{form.id}.{score.id}", form.id, "score", score.id))
        return out

    # ------------------------------------------------------------ rows
    def rows(self) -> Iterator[dict[str, Any]]:
        """Every submission as an export row, ordered by patient then time."""
        # Plain rows, not ORM objects: nothing accumulates in the session as it streams.
        query = select(
            Submission.id,
            Submission.patient_key,
            Submission.started_at,
            Submission.day,
            Submission.clinic,
            Submission.pathway,
            Submission.language,
            Submission.link_method,
            Submission.status,
        )
        query = query.where(within(self.options.clinics)).order_by(
            Submission.patient_key, Submission.started_at, Submission.id
        )
        last_patient: str | None = None
        visit = 0
        with self.service.transaction() as db:
            result = db.execute(query.execution_options(yield_per=_CHUNK))
            for chunk in result.partitions(_CHUNK):
                for row in self._chunk(db, chunk):
                    key = row.pop("_patient_key")
                    if key is None:
                        row["visit"] = ""
                    else:
                        visit = visit + 1 if key == last_patient else 1
                        last_patient = key
                        row["visit"] = visit
                    yield row

    def _chunk(self, db: Any, chunk: Sequence[Any]) -> list[dict[str, Any]]:
        ids = [s.id for s in chunk]
        answers: dict[str, dict[str, dict[str, Any]]] = {sid: {} for sid in ids}
        scores: dict[str, dict[str, dict[str, Any]]] = {sid: {} for sid in ids}
        secrets = self.service.secrets
        for r in db.execute(
            select(
                Response.submission_id, Response.form_id, Response.scores, Response.answers
            ).where(Response.submission_id.in_(ids))
        ):
            opened = secrets.open(r.answers, f"responses/{r.submission_id}/{r.form_id}")
            answers[r.submission_id][r.form_id] = opened if isinstance(opened, dict) else {}
            scores[r.submission_id][r.form_id] = json.loads(r.scores)
        flags: dict[str, list[str]] = {sid: [] for sid in ids}
        for sid, flag_id in db.execute(
            select(Flag.submission_id, Flag.flag_id).where(Flag.submission_id.in_(ids))
        ):
            flags[sid].append(flag_id)
        triage = dict(
            db.execute(
                select(Triage.submission_id, Triage.status).where(Triage.submission_id.in_(ids))
            ).all()
        )
        referrals: dict[str, list[str]] = {sid: [] for sid in ids}
        for sid, kind, outcome in db.execute(
            select(Referral.submission_id, Referral.kind, Referral.outcome)
            .where(Referral.submission_id.in_(ids))
            .order_by(Referral.id)
        ):
            referrals[sid].append(f"{kind}:{outcome}")
        postcodes = [self.facts.answer(a, "home_postcode") for a in answers.values()]
        deciles = deciles_for(db, [p for p in postcodes if isinstance(p, str) and p != PREFER_NOT])
        return [
            self._row(
                s,
                answers[s.id],
                scores[s.id],
                flags[s.id],
                triage.get(s.id, "new"),
                referrals[s.id],
                deciles,
            )
            for s in chunk
        ]

    def _row(
        self,
        s: Any,
        answers: dict[str, dict[str, Any]],
        scores: dict[str, dict[str, Any]],
        flags: list[str],
        triage_status: str,
        referrals: list[str],
        deciles: dict[str, int],
    ) -> dict[str, Any]:
        p = self.pseudonyms
        started = dt.datetime.fromisoformat(s.started_at)
        day = dt.date.fromisoformat(s.day) if s.day else started.date()
        date = ""
        if self.options.shift_dates:
            date = (day + dt.timedelta(days=p.day_shift(s.patient_key or s.id))).isoformat()
        facts = self.facts
        postcode = facts.answer(answers, "home_postcode")
        decile = (
            deciles.get(compact_postcode(postcode))
            if isinstance(postcode, str) and postcode != PREFER_NOT
            else None
        )
        ethnicity = facts.answer(answers, "ethnic_category")
        code = "Z" if ethnicity == PREFER_NOT else (str(ethnicity) if ethnicity else "")
        screened = any(answers.get(form_id) for form_id in facts.screens)
        flagged = set(flags)
        row: dict[str, Any] = {
            "_patient_key": s.patient_key,
            "submission": p.of("submission", s.id),
            "patient": p.of("patient", s.patient_key) if s.patient_key else "",
            "period": day.isoformat()[:7],
            "date": date,
            "clinic": s.clinic or "",
            "pathway": s.pathway,
            "language": s.language or "",
            "link_method": s.link_method or "",
            "complete": 1 if s.status == "complete" else 0,
            "age_band": age_band(facts.answer(answers, "birth_year"), started.year),
            "sex": _or_empty(facts.answer(answers, "stated_sex")),
            "ethnicity": code,
            "ethnic_group": ethnic_group(code) if code else NOT_STATED,
            "imd_decile": decile or "",
            "imd_quintile": quintile(decile) or "",
            "screened": 1 if screened else 0,
            "screen_positive": _flag(screened, bool(flagged & facts.social_needs)),
            "wants_help": _flag(screened, bool(flagged & facts.help_requests)),
            "financial_hardship": _flag(screened, bool(flagged & facts.money)),
            "flags": ";".join(sorted(flagged)),
            "triage_status": triage_status,
            "triaged": 0 if triage_status == "new" else 1,
            "referred": 1 if referrals else 0,
            "referrals": ";".join(referrals),
        }
        for column, form_id, kind, name in self.instrument:
            source = answers if kind == "answer" else scores
            value = source.get(form_id, {}).get(name)
            row[column] = _cell(value, free_text=column in self.free_text)
        return row

    # ------------------------------------------------------------ files
    def csv_chunks(self) -> Iterator[str]:
        """The CSV, a few hundred rows per piece, for streaming to a file or over HTTP."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        self.rows_written = 0
        for count, row in enumerate(self.rows(), 1):
            self.rows_written = count
            writer.writerow(safe_mapping(row))  # every text cell: pathway, clinic, ...
            if count % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def dictionary(self) -> str:
        return data_dictionary(self.library, self.instrument, self.options)


def _or_empty(value: Any) -> Any:
    return "" if value is None else value


def _flag(screened: bool, raised: bool) -> int | str:
    return "" if not screened else (1 if raised else 0)


def _cell(value: Any, *, free_text: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if free_text and isinstance(value, str) and value != PREFER_NOT:
        return defuse(scrub(value))
    return value


def defuse(text: str) -> str:
    """Patient text a spreadsheet would run as a formula starts with an apostrophe."""
    return str(safe_cell(text))


def data_dictionary(
    library: FormLibrary, instrument: list[tuple[str, str, str, str]], options: ExportOptions
) -> str:
    """Markdown describing every column and code of an export."""
    lines = [
        f"# Data dictionary: project {options.project}",
        "",
        "Anonymised export from What Matters Kiosk. One row per submission.",
        "Empty cell: not asked or not answered. `prefer_not`: the patient chose",
        '"I don\'t want to answer".',
        "",
    ]
    if options.include_free_text:
        lines += [
            "**This export contains free text** typed by patients, scrubbed of NHS numbers,",
            f"phone numbers, email addresses and postcodes (each replaced by `{REMOVED}`).",
            "Free text can still identify people: handle it as personal data.",
            "",
        ]
    lines += ["## Fixed columns", "", "| column | meaning |", "| --- | --- |"]
    for column, meaning in _FIXED_MEANINGS.items():
        lines.append(f"| `{column}` | {meaning} |")
    lines += ["", "## Questions and scores", ""]
    forms = {f.id: f for f in library.forms()}
    current = None
    for column, form_id, kind, name in instrument:
        form = forms[form_id]
        if form_id != current:
            current = form_id
            credit = form.spec.licence.attribution
            lines += [
                "",
                f"### {form.spec.title.get('en', form_id)} (`{form_id}` version {form.version})",
                "",
            ]
            if credit:
                lines += [credit, ""]
            lines += ["| column | question or score | values |", "| --- | --- | --- |"]
        lines.append(f"| `{column}` | {_describe(form, kind, name)} |")
    lines += ["", "Source: docs/exports.md in the What Matters Kiosk repository.", ""]
    return "\n".join(lines)


def _describe(form: Form, kind: str, name: str) -> str:
    if kind == "score":
        score = next(s for s in form.spec.scores if s.id == name)
        return f"{score.label or name} (score: {score.kind}) | a number"
    item = form.items[name]
    text = " ".join(item.text.get("en", name).split()).replace("|", "/")
    if item.options:
        codes = "; ".join(f"`{o.code}` {o.text.get('en', '')}" for o in item.options)
    elif item.type == "yes_no":
        codes = "`yes`; `no`"
    elif item.type == "scale":
        codes = f"{item.min} to {item.max}"
    elif item.type in FREE_TEXT_TYPES:
        codes = "free text, scrubbed"
    else:
        codes = item.type
    if item.type == "multi_choice":
        codes += " (several, `;`-separated)"
    return f"{text} | {codes}"


_FIXED_MEANINGS = {
    "submission": "pseudonym of the submission (HMAC-SHA256 under this project's key)",
    "patient": "pseudonym of the patient, the same for each of their visits in this project; "
    "empty for anonymous sessions",
    "visit": "1 for the patient's first submission in this export, 2 for the next, ...",
    "period": "the month the patient answered, YYYY-MM",
    "date": "only with shifted dates: the day moved by a per-patient offset of -180..+180 days",
    "clinic": "the appointment's clinic",
    "pathway": "the pathway (which forms were asked)",
    "language": "the language the patient answered in",
    "link_method": "self_check_in, reception or anonymous",
    "complete": "1 submitted, 0 stopped part way",
    "age_band": "age band from the year of birth given",
    "sex": "female, male, intersex, or prefer_not",
    "ethnicity": "NHS Data Dictionary ethnic category code A..S; Z not stated",
    "ethnic_group": "White, Mixed, Asian, Black, Other, Not stated",
    "imd_decile": "IMD decile from the postcode, 1 = most deprived",
    "imd_quintile": "IMD quintile, 1 = most deprived 20% (deciles 1-2)",
    "screened": "1 if the social-welfare screen was answered",
    "screen_positive": "1 if any social need was flagged; empty if not screened",
    "wants_help": "1 if they asked to talk to someone; empty if not screened",
    "financial_hardship": "1 if difficulty making ends meet; empty if not screened",
    "flags": "every flag raised, ;-separated",
    "triage_status": "new, in_review, actioned, no_action, declined",
    "triaged": "1 if staff moved it on from new",
    "referred": "1 if at least one referral was made",
    "referrals": "kind:outcome pairs, ;-separated",
}


def start_export(
    service: ClinicService,
    options: ExportOptions,
    actor: str,
    *,
    what: str = "anonymised_csv",
    remote: str | None = None,
) -> Exporter:
    """An exporter, after writing who, what and why to the audit table ("started: ...").
    Stream it through ``exporter.run`` (``run.csv(exporter)``, ``run.fhir(chunks)``) so
    that its outcome is audited too when the stream ends."""
    exporter = Exporter(service, options)
    flags = [
        name
        for name, on in (
            ("free text", options.include_free_text),
            ("shifted dates", options.shift_dates),
        )
        if on
    ]
    target = f"project {options.project}" + (f" with {', '.join(flags)}" if flags else "")
    detail = f"purpose: {options.purpose.strip()}"
    if options.clinics is not None:  # a scoped administrator exports their clinics only
        detail += f"; clinics: {describe(options.clinics)}"
    # In the request's own transaction: an export that cannot be audited does not start.
    with service.transaction() as db:
        service.audit(
            db,
            actor,
            "export",
            "started: " + what,
            target=target,
            remote=remote,
            detail=detail,
        )
    exporter.run = ExportRun(service, actor, what, target, remote)
    return exporter


@dataclass(frozen=True)
class ExportRun:
    """An export that has been audited as started; ``stream`` audits how it ended:
    "ok" with how many rows or entries went out, or "failed" if the stream broke
    (an error, or the other end went away), with what had gone out by then."""

    service: ClinicService
    actor: str
    what: str
    target: str
    remote: str | None

    def stream(self, chunks: Iterator[str], count: Any, unit: str) -> Iterator[str]:
        pieces, outcome = 0, "failed"
        try:
            for piece in chunks:
                pieces += 1
                yield piece
            outcome = "ok"
        finally:
            self.service.audit_now(
                self.actor,
                "export",
                f"{outcome}: {self.what}",
                target=self.target,
                remote=self.remote,
                detail=f"{count(pieces)} {unit}",
            )

    def fhir(self, chunks: Iterator[str]) -> Iterator[str]:
        """A bundle from :func:`fhir_chunks`: one piece per entry, with its opening and end."""
        return self.stream(chunks, lambda pieces: max(pieces - 2, 0), "entries")

    def csv(self, exporter: Exporter) -> Iterator[str]:
        return self.stream(exporter.csv_chunks(), lambda _p: exporter.rows_written, "rows")


def fhir_chunks(
    service: ClinicService,
    options: ExportOptions,
    *,
    identified: bool,
) -> Iterator[str]:
    """A FHIR R4 Bundle (collection), streamed: a Questionnaire for every form version
    used, then a QuestionnaireResponse per submission and form. Anonymised, the
    subject is the project's patient pseudonym and free text is left out unless
    asked for; identified, it carries the NHS number (a stated purpose is needed
    for either, and both are audited by :func:`start_export`)."""
    import uuid

    from kiosk.reports.fhir import questionnaire, questionnaire_response

    pseudonyms = Pseudonyms(service.secrets.export_key, options.project)
    library = service.library
    free_text = identified or options.include_free_text

    def entry(resource: dict[str, Any]) -> str:
        return json.dumps({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource})

    yield '{"resourceType":"Bundle","type":"collection","entry":['
    first = True
    with service.transaction() as db:
        hashes = [h for (h,) in db.execute(select(Response.form_hash).distinct())]
        for form_hash in sorted(hashes):
            form = _known_form(library, form_hash)
            if form is None:
                continue
            yield ("" if first else ",") + entry(questionnaire(form))
            first = False
        query = select(
            Submission.id,
            Submission.started_at,
            Submission.status,
            Submission.language,
            Submission.patient_key,
            Submission.identifiers,
        )
        query = query.where(within(options.clinics)).order_by(Submission.started_at, Submission.id)
        for chunk in db.execute(query.execution_options(yield_per=_CHUNK)).partitions(_CHUNK):
            ids = [row.id for row in chunk]
            responses: dict[str, list[Any]] = {sid: [] for sid in ids}
            for r in db.execute(
                select(
                    Response.submission_id, Response.form_id, Response.form_hash, Response.answers
                ).where(Response.submission_id.in_(ids))
            ):
                responses[r.submission_id].append(r)
            for row in chunk:
                patient: dict[str, Any] | None = None
                if row.patient_key:
                    patient = {"pseudonym": pseudonyms.of("patient", row.patient_key)}
                    if identified and row.identifiers:
                        link = service.secrets.open(
                            row.identifiers, f"submissions/{row.id}/identifiers"
                        )
                        patient["nhs_number"] = link.get("nhs_number")
                        patient["hospital_number"] = link.get("hospital_number")
                submission = {
                    "id": row.id,
                    "pseudonym": pseudonyms.of("submission", row.id),
                    "started_at": row.started_at,
                    "status": row.status,
                    "language": row.language or "en",
                    "patient": patient,
                }
                for r in responses[row.id]:
                    form = _known_form(library, r.form_hash)
                    if form is None:
                        continue
                    answers = service.secrets.open(r.answers, f"responses/{row.id}/{r.form_id}")
                    if not identified:  # the CSV bands age and derives IMD instead
                        withheld = form.identifying_items
                        answers = {k: v for k, v in answers.items() if k not in withheld}
                    resource = questionnaire_response(
                        form,
                        submission,
                        answers,
                        identified=identified,
                        include_free_text=free_text,
                    )
                    yield ("" if first else ",") + entry(resource)
                    first = False
    yield "]}"


def _known_form(library: FormLibrary, form_hash: str) -> Form | None:
    """The form version with this hash, or None for one this service no longer holds
    (its answers stay in the database and in the anonymised CSV)."""
    try:
        return library.by_hash(form_hash)
    except UnknownFormError:
        return None


def board_report(
    service: ClinicService,
    *,
    first: str,
    last: str,
    clinic: str | None,
    kind: str,
    actor: str,
    remote: str | None = None,
    clinics: tuple[str, ...] | None = None,
) -> bytes:
    """The equity and outcomes report (docs/board-report.md), as a PDF or CSV, computed
    from the anonymised CSV itself, so every figure can be checked against an export.
    BoardReportError (kiosk.reports' known error) for a bad period."""
    import tempfile

    from kiosk.clinic.imd import appointments_csv
    from kiosk.reports.board import ALL_CLINICS, compute_figures, figures_csv, figures_pdf

    if kind not in ("pdf", "csv"):
        raise ExportError("a report is a pdf or a csv")
    options = ExportOptions("board-report", "the equity and outcomes report", clinics=clinics)
    exporter = Exporter(service, options)
    with service.transaction() as db:
        appointments = list(csv.DictReader(io.StringIO(appointments_csv(db))))
    if clinics is not None:  # a scoped administrator's report counts their clinics only
        appointments = [a for a in appointments if a.get("clinic") in clinics]
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        for piece in exporter.csv_chunks():
            spool.write(piece)
        spool.seek(0)
        figures = compute_figures(
            csv.DictReader(spool),
            appointments,
            title="Personalised care screening: reach, equity and outcomes",
            clinic=clinic or ALL_CLINICS,
            first=first,
            last=last,
            measures=service.library.measures(),
        )
    with service.transaction() as db:
        service.audit(
            db,
            actor,
            "export",
            f"ok: board_report_{kind}",
            target=f"{clinic or ALL_CLINICS} {first}..{last}"[:100],
            remote=remote,
            detail="aggregate figures, small numbers suppressed"
            + ("" if clinics is None else f"; clinics: {describe(clinics)}"),
        )
    return figures_pdf(figures) if kind == "pdf" else figures_csv(figures).encode("utf-8")


def scoped_appointments_csv(db: Any, clinics: tuple[str, ...] | None) -> str:
    """The appointments CSV (counts by month, clinic and group), only of ``clinics``
    for an administrator limited to some clinics (None: every clinic)."""
    from kiosk.clinic.imd import appointments_csv

    text = appointments_csv(db)
    if clinics is None:
        return text
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows[:1] + [row for row in rows[1:] if row[1] in clinics])
    return out.getvalue()
