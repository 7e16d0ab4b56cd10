"""The data dictionary of an anonymised export (Markdown): every fixed column, then
every question and score of the loaded forms with its codes, as the forms word them.
"""

from __future__ import annotations

from kiosk.clinic.exports.anonymity import FREE_TEXT_TYPES, ExportOptions
from kiosk.clinic.scrub import REMOVED
from kiosk.engine import Form, FormLibrary

FIXED_MEANINGS = {
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
    "route": "tablet (the patient on the tablet), assisted (a member of staff completed it "
    "with them on the tablet) or paper (a paper form keyed in by staff)",
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


def data_dictionary(
    library: FormLibrary, instrument: list[tuple[str, str, str, str]], options: ExportOptions
) -> str:
    """Markdown describing every column and code of an export (``instrument``: the
    export's (column, form id, "answer" | "score", item or score id) in form order)."""
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
    for column, meaning in FIXED_MEANINGS.items():
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
