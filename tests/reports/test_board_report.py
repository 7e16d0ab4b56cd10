"""The board report: every figure in the CSV and the PDF against an independent recount.

A synthetic anonymised export (docs/exports.md) is written to a file with
csv.DictWriter: a few hundred sessions at two clinics over nine months, patients
with one to three visits, anonymous sessions, every IMD quintile and ethnic
group (one group with only three sessions), referrals, ONS4, MYCaW and SEMCD.
The test then counts everything again with plain code (Counter over
csv.DictReader rows and its own copy of the suppression rule) and compares every
line of the report CSV, and reads the PDF back with pypdf.
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from scipy import stats as scipy_stats

from kiosk.reports.board import (
    ALL_CLINICS,
    SUPPRESSION_RULE,
    BoardReportError,
    compute_figures,
    figures_csv,
    figures_pdf,
    report_csv,
    report_pdf,
)
from kiosk.site.forms import installed_measures

pytestmark = pytest.mark.export

ONS_CREDIT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)
MAIN, OTHER = "Renal", "Cardiology"
FIRST, LAST = "2025-02", "2025-07"
MONTHS = [f"2025-{m:02d}" for m in range(1, 10)]
GROUPS = ["White", "Mixed", "Asian", "Black", "Other", "Not stated"]
KINDS = ["social_prescriber", "food_bank", "housing", "debt_benefits", "gp"]
OUTCOMES = ["awaiting", "accepted", "attended", "did_not_attend", "declined"]
# Written out, not imported from the export: the test holds the CSV's columns to this list.
FIXED_COLUMNS = [
    "submission",
    "patient",
    "visit",
    "period",
    "date",
    "clinic",
    "pathway",
    "language",
    "link_method",
    "route",
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
]
INSTRUMENT_COLUMNS = [
    "social_welfare.ends_meet",
    "ons4.life_satisfaction",
    "ons4.worthwhile",
    "ons4.happiness",
    "ons4.anxiety",
    "mycaw.concern_1_score",
    "mycaw.concern_2_score",
    "mycaw.wellbeing",
    "mycaw_followup.concern_1_score",
    "mycaw_followup.concern_1_change",
    "mycaw_followup.concern_2_score",
    "mycaw_followup.wellbeing",
    "semcd6.semcd_mean",
]
ETHNICITY_CODE = {"White": "A", "Mixed": "D", "Asian": "H", "Black": "M", "Other": "S"}
NEEDS = ["ends_meet", "missed_meal", "housing", "isolation", "unsafe", "caring"]


# ---------------------------------------------------------------- the synthetic export
def _session(rng: random.Random, index: int, clinic: str, period: str) -> dict[str, str]:
    row = dict.fromkeys(FIXED_COLUMNS + INSTRUMENT_COLUMNS, "")
    row.update(
        submission=f"{index:016x}",
        period=period,
        clinic=clinic,
        pathway="renal" if clinic == MAIN else "cardiology",
        language=rng.choice(["en", "en", "en", "ur", "pl"]),
        age_band=rng.choice(["25-34", "45-54", "65-74", "75-84", "prefer_not", ""]),
        sex=rng.choice(["female", "male", ""]),
    )
    complete = rng.random() < 0.85
    screened = rng.random() < (0.9 if complete else 0.4)
    row["complete"] = "1" if complete else "0"
    row["screened"] = "1" if screened else "0"
    if screened:
        flags = [need for need in NEEDS if rng.random() < 0.22]
        positive = bool(flags)
        row["screen_positive"] = "1" if positive else "0"
        row["financial_hardship"] = "1" if "ends_meet" in flags else "0"
        row["social_welfare.ends_meet"] = "yes" if "ends_meet" in flags else "no"
        # The short form asks "Do you want help?" whatever the answers: a few
        # sessions want help without a need flagged.
        wants = rng.random() < (0.55 if positive else 0.06)
        row["wants_help"] = "1" if wants else "0"
        row["flags"] = ";".join(flags + (["wants_help"] if wants else []))
    status = rng.choice(["new", "new", "in_review", "actioned", "no_action", "declined"])
    row["triage_status"] = status
    row["triaged"] = "0" if status == "new" else "1"
    pairs = []
    if status == "actioned":
        for _ in range(rng.choice([1, 1, 2])):
            pairs.append(f"{rng.choice(KINDS)}:{rng.choice(OUTCOMES)}")
    row["referrals"] = ";".join(pairs)
    row["referred"] = "1" if pairs else "0"
    return row


def _ons4(rng: random.Random, row: dict[str, str], visit: int) -> None:
    if row["complete"] != "1" or rng.random() < 0.15:
        return
    lift = min(visit - 1, 2)
    for item in ("life_satisfaction", "worthwhile", "happiness"):
        row[f"ons4.{item}"] = str(min(10, max(0, rng.randint(2, 8) + lift)))
    row["ons4.anxiety"] = str(min(10, max(0, rng.randint(2, 9) - lift)))
    if rng.random() < 0.06:
        row["ons4.happiness"] = "prefer_not"


def make_export(folder: Path) -> tuple[Path, Path]:
    """Write PROJECT-anonymised.csv and PROJECT-appointments.csv; return their paths."""
    rng = random.Random(20250601)
    rows: list[dict[str, str]] = []
    index = 0
    for number in range(150):
        patient = f"{rng.getrandbits(64):016x}"
        decile = rng.choice(["", *[str(d) for d in range(1, 11)], "1", "2", "3"])
        group = rng.choice(["White"] * 4 + ["Asian", "Asian", "Black", "Other", "Not stated"])
        visits = rng.choice([1, 2, 2, 3, 3])
        months = sorted(rng.sample(MONTHS, visits))
        mycaw = rng.random() < 0.45
        wellbeing = str(rng.randint(1, 6))
        for visit, period in enumerate(months, start=1):
            clinic = rng.choices([MAIN, OTHER, ""], weights=[85, 10, 5])[0]
            index += 1
            row = _session(rng, index, clinic, period)
            row.update(
                patient=patient,
                visit=str(visit),
                link_method=rng.choice(["self_check_in", "reception"]),
                ethnic_group=group,
                ethnicity="Z" if group == "Not stated" else ETHNICITY_CODE[group],
                imd_decile=decile,
                imd_quintile=str((int(decile) + 1) // 2) if decile else "",
            )
            if number % 17 == 0:
                row["ethnicity"], row["ethnic_group"] = "", ""  # not asked
            _ons4(rng, row, visit)
            if mycaw and visit == 1:
                row["mycaw.concern_1_score"] = str(rng.randint(3, 6))
                row["mycaw.wellbeing"] = wellbeing
            elif mycaw:
                row["mycaw_followup.concern_1_score"] = str(rng.randint(0, 5))
                row["mycaw_followup.concern_1_change"] = "1"
                # Wellbeing never changes: every difference is zero.
                row["mycaw_followup.wellbeing"] = wellbeing
            rows.append(row)
    for _ in range(60):  # anonymous sessions
        index += 1
        row = _session(rng, index, rng.choice([MAIN, MAIN, OTHER]), rng.choice(MONTHS))
        group = rng.choice(["White", "Asian", "Black", "Other", "Not stated"])
        decile = rng.choice(["", "1", "2", "4", "6", "8", "10"])
        row.update(
            link_method="anonymous",
            ethnic_group=group,
            imd_decile=decile,
            imd_quintile=str((int(decile) + 1) // 2) if decile else "",
        )
        _ons4(rng, row, 1)  # no patient: never part of the outcomes
        rows.append(row)
    for month in ("2025-03", "2025-04", "2025-06"):  # a group with only 3 sessions
        index += 1
        row = _session(rng, index, MAIN, month)
        row.update(link_method="anonymous", ethnic_group="Mixed", ethnicity="D")
        rows.append(row)

    # SEMCD-6 for five patients with two visits in scope: n between 1 and 7.
    in_scope = Counter(
        r["patient"]
        for r in rows
        if r["patient"] and r["clinic"] == MAIN and FIRST <= r["period"] <= LAST
    )
    chosen = sorted(p for p, n in in_scope.items() if n >= 2)[:5]
    assert len(chosen) == 5
    for row in rows:
        if row["patient"] in chosen:
            row["semcd6.semcd_mean"] = rng.choice(["4.5", "6.333333", "7", "8.166667"])

    # Routes from their own generator, so the rest of the export is as it was: staff
    # and paper reach the most deprived quintile more often than the others.
    routes = random.Random(18)
    for row in rows:
        paper = 0.2 if row["imd_quintile"] == "1" else 0.04
        row["route"] = routes.choices(
            ["tablet", "assisted", "paper"], weights=[1 - paper - 0.08, 0.08, paper]
        )[0]

    rows.sort(key=lambda r: (r["patient"], r["visit"], r["period"]))
    anonymised = folder / "PROJECT-anonymised.csv"
    with anonymised.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=FIXED_COLUMNS + INSTRUMENT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    appointments = folder / "PROJECT-appointments.csv"
    with appointments.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(
            file, fieldnames=["period", "clinic", "imd_quintile", "ethnic_group", "appointments"]
        )
        writer.writeheader()
        for month in MONTHS:
            for clinic in (MAIN, OTHER):
                for quintile in ["1", "2", "3", "4", "5", ""]:
                    for group in GROUPS:
                        top = 3 if group == "Mixed" else 9
                        writer.writerow(
                            {
                                "period": month,
                                "clinic": clinic,
                                "imd_quintile": quintile,
                                "ethnic_group": group,
                                "appointments": rng.randint(0, top),
                            }
                        )
    return anonymised, appointments


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_export(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def report(export: tuple[Path, Path]) -> dict[str, Any]:
    anonymised, appointments = export
    figures = compute_figures(
        read(anonymised),
        read(appointments),
        title="Equity and outcomes: renal outpatients",
        clinic=MAIN,
        first=FIRST,
        last=LAST,
    )
    csv_text = figures_csv(figures)
    lines = list(csv.DictReader(io.StringIO(csv_text)))
    return {"figures": figures, "csv": csv_text, "lines": lines}


# ---------------------------------------------------------------- the independent recount
def sup(n: int) -> str:
    """The suppression rule, written again: 0; * for 1-7; else the nearest 5."""
    if n == 0:
        return "0"
    if n <= 7:
        return "*"
    return str(int(Decimal(n / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5)


def pct(numerator: int, denominator: int) -> str:
    if 1 <= numerator <= 7 or 1 <= denominator <= 7:
        return "*"
    if denominator == 0:
        return "n/a"
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return str(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def funnel_counts(rows: list[dict[str, str]]) -> Counter[str]:
    c: Counter[str] = Counter()
    for r in rows:
        complete, screened = r["complete"] == "1", r["screened"] == "1"
        positive = r["screen_positive"] == "1"
        c["started"] += 1
        c["completed"] += complete
        c[f"completed_{r['route']}"] += complete
        c["screened"] += screened
        c["screened_completed"] += complete and screened
        c["screen_positive"] += positive
        c["positive_completed"] += complete and screened and positive
        c["wants_help"] += r["wants_help"] == "1"
        c["positive_wants_help"] += positive and r["wants_help"] == "1"
        c["financial_hardship"] += r["financial_hardship"] == "1"
        c["positive_hardship"] += positive and r["financial_hardship"] == "1"
        c["triaged"] += r["triaged"] == "1"
        c["referred"] += r["referred"] == "1"
    return c


STEP_KEYS = [
    "appointments",
    "started",
    "completed",
    "completed_tablet",
    "completed_assisted",
    "completed_paper",
    "screened",
    "screened_completed",
    "screen_positive",
    "positive_completed",
    "wants_help",
    "positive_wants_help",
    "financial_hardship",
    "positive_hardship",
    "triaged",
    "referred",
]
RATE_PARTS = {
    "engaged": ("started", "appointments"),
    "completed": ("completed", "started"),
    "flagged": ("positive_completed", "screened_completed"),
    "wants_help": ("positive_wants_help", "screen_positive"),
    "financial_hardship": ("positive_hardship", "screen_positive"),
}


def recount(
    rows: list[dict[str, str]],
    appointments: list[dict[str, str]] | None,
    clinic: str,
    first: str,
    last: str,
) -> dict[tuple[str, ...], str]:
    """Every line the report CSV should have: (section, group_by, group, measure, statistic)."""

    def wanted(r: dict[str, str]) -> bool:
        return first <= r["period"] <= last and (clinic == ALL_CLINICS or r["clinic"] == clinic)

    scope = [r for r in rows if wanted(r)]
    booked = [a for a in appointments or [] if wanted(a)]
    expected: dict[tuple[str, ...], str] = {}

    def quintile(r: dict[str, str]) -> str:
        return r["imd_quintile"] or "Unknown"

    def ethnic(r: dict[str, str]) -> str:
        return r["ethnic_group"] or "Not stated"

    extra = {ethnic(r) for r in scope + booked} - set(GROUPS)
    groups: list[tuple[str, str, Any]] = [("all", "all", lambda r: True)]
    for q in ["1", "2", "3", "4", "5", "Unknown"]:
        groups.append(("imd_quintile", q, lambda r, q=q: quintile(r) == q))
    for g in GROUPS + sorted(extra):
        groups.append(("ethnic_group", g, lambda r, g=g: ethnic(r) == g))

    for group_by, group, member in groups:
        counts = funnel_counts([r for r in scope if member(r)])
        booked_here = sum(int(a["appointments"]) for a in booked if member(a))
        for key in STEP_KEYS:
            if key == "appointments":
                value = "n/a" if appointments is None else sup(booked_here)
            else:
                value = sup(counts[key])
            expected[("funnel", group_by, group, key, "count")] = value
        for rate, (top, bottom) in RATE_PARTS.items():
            if bottom == "appointments":
                value = "n/a" if appointments is None else pct(counts[top], booked_here)
            else:
                value = pct(counts[top], counts[bottom])
            expected[("rate", group_by, group, rate, "percent")] = value

    pairs: Counter[tuple[str, str]] = Counter()
    for r in scope:
        for part in filter(None, r["referrals"].split(";")):
            kind, _, outcome = part.partition(":")
            pairs[(kind, outcome)] += 1
    kinds = {k for k, _ in pairs}
    outcomes = {o for _, o in pairs}
    expected[("referrals", "all", "all", "all", "count")] = sup(sum(pairs.values()))
    for outcome in outcomes:
        total = sum(n for (_, o), n in pairs.items() if o == outcome)
        expected[("referrals", "all", "all", outcome, "count")] = sup(total)
    for kind in kinds:
        total = sum(n for (k, _), n in pairs.items() if k == kind)
        expected[("referrals", "kind", kind, "all", "count")] = sup(total)
        for outcome in outcomes:
            expected[("referrals", "kind", kind, outcome, "count")] = sup(pairs[(kind, outcome)])

    header = set(rows[0])
    for measure in installed_measures():
        if not any(column in header for column in measure.columns):
            continue
        visits: dict[str, dict[int, float]] = {}
        for r in scope:
            if not r["patient"]:
                continue
            for column in measure.columns:
                if r.get(column) not in (None, "", "prefer_not"):
                    visits.setdefault(r["patient"], {})[int(r["visit"])] = float(r[column])
                    break
        pairs_ = [(v[min(v)], v[max(v)]) for v in visits.values() if len(v) >= 2]
        n = len(pairs_)
        key = ("outcomes", "all", "all", measure.id)
        expected[(*key, "label")] = measure.label
        expected[(*key, "better")] = measure.better
        expected[(*key, "n")] = sup(n)
        if n >= 8:
            baseline = [b for b, _ in pairs_]
            follow_up = [f for _, f in pairs_]
            diffs = [f - b for b, f in pairs_]
            mean = statistics.mean(diffs)
            sem = statistics.stdev(diffs) / math.sqrt(n)
            low, high = (
                (mean, mean)
                if sem == 0
                else scipy_stats.t.interval(0.95, n - 1, loc=mean, scale=sem)
            )
            expected[(*key, "mean_baseline")] = statistics.mean(baseline)
            expected[(*key, "mean_follow_up")] = statistics.mean(follow_up)
            expected[(*key, "mean_change")] = mean
            expected[(*key, "ci_low")] = low
            expected[(*key, "ci_high")] = high
            if all(d == 0 for d in diffs):
                expected[(*key, "wilcoxon_p")] = "not computed"
            else:
                expected[(*key, "wilcoxon_p")] = scipy_stats.wilcoxon(diffs).pvalue
        else:
            for statistic in (
                "mean_baseline",
                "mean_follow_up",
                "mean_change",
                "ci_low",
                "ci_high",
                "wilcoxon_p",
            ):
                expected[(*key, statistic)] = "*" if n else "n/a"
        expected[(*key, "note")] = "(note)"
    return expected  # type: ignore[return-value]


def _key(line: dict[str, str]) -> tuple[str, ...]:
    return (line["section"], line["group_by"], line["group"], line["measure"], line["statistic"])


def compare(lines: list[dict[str, str]], expected: dict[tuple[str, ...], Any]) -> None:
    body = [line for line in lines if line["section"] != "report"]
    keys = [_key(line) for line in body]
    assert len(keys) == len(set(keys)), "a figure appears twice"
    assert set(keys) == set(expected), set(keys) ^ set(expected)
    for line in body:
        want = expected[_key(line)]
        got = line["value"]
        where = _key(line)
        if isinstance(want, float):
            if line["statistic"] == "wilcoxon_p":
                assert float(got) == pytest.approx(want, rel=1e-3), where
            else:
                assert float(got) == pytest.approx(want, abs=0.0051), where
                assert re.fullmatch(r"-?\d+\.\d\d", got), where
        elif want == "(note)":
            n = expected[(*where[:4], "n")]
            p = expected[(*where[:4], "wilcoxon_p")]
            assert bool(got) == (n in ("*", "0") or p == "not computed"), where
        else:
            assert got == want, where


# ---------------------------------------------------------------- tests
def test_the_synthetic_export_is_what_the_tests_need(export: tuple[Path, Path]) -> None:
    rows = read(export[0])
    assert len(rows) > 300
    assert list(rows[0]) == FIXED_COLUMNS + INSTRUMENT_COLUMNS
    visits = Counter(r["patient"] for r in rows if r["patient"])
    assert {2, 3} <= set(visits.values())
    assert {r["imd_quintile"] for r in rows} == {"1", "2", "3", "4", "5", ""}
    assert {r["ethnic_group"] for r in rows} == {*GROUPS, ""}
    assert any(";" in r["referrals"] for r in rows)
    # The short form: some want help without a need flagged.
    assert any(r["wants_help"] == "1" and r["screen_positive"] == "0" for r in rows)


def test_every_line_of_the_csv_equals_a_recount(
    export: tuple[Path, Path], report: dict[str, Any]
) -> None:
    rows, appointments = read(export[0]), read(export[1])
    compare(report["lines"], recount(rows, appointments, MAIN, FIRST, LAST))


def test_the_recount_covers_the_interesting_cases(report: dict[str, Any]) -> None:
    values = {_key(line): line["value"] for line in report["lines"]}
    outcome = {m: values[("outcomes", "all", "all", m, "n")] for m in ("ons4.anxiety",)}
    assert outcome["ons4.anxiety"] not in ("0", "*")
    assert values[("outcomes", "all", "all", "semcd6.semcd_mean", "n")] == "*"
    assert values[("outcomes", "all", "all", "mycaw.concern_2", "n")] == "0"
    assert values[("outcomes", "all", "all", "mycaw.wellbeing", "wilcoxon_p")] == "not computed"
    assert "zero" in values[("outcomes", "all", "all", "mycaw.wellbeing", "note")]
    assert float(values[("outcomes", "all", "all", "mycaw.concern_1", "wilcoxon_p")]) < 0.05
    assert not any(key[3].startswith("pam.") for key in values)  # no PAM columns
    assert values[("funnel", "ethnic_group", "Mixed", "started", "count")] == "*"
    assert values[("rate", "ethnic_group", "Mixed", "flagged", "percent")] == "*"
    assert values[("referrals", "all", "all", "all", "count")] not in ("0", "*")


@pytest.mark.parametrize(
    ("clinic", "first", "last", "with_appointments"),
    [
        (ALL_CLINICS, "2025-01", "2025-09", True),
        (OTHER, "2025-01", "2025-09", True),
        (MAIN, "2025-05", "2025-05", False),
    ],
)
def test_other_clinics_periods_and_no_appointments(
    export: tuple[Path, Path], clinic: str, first: str, last: str, with_appointments: bool
) -> None:
    rows, appointments = read(export[0]), read(export[1])
    text = report_csv(
        rows,
        appointments if with_appointments else None,
        title="t",
        clinic=clinic,
        first=first,
        last=last,
    )
    lines = list(csv.DictReader(io.StringIO(text)))
    compare(lines, recount(rows, appointments if with_appointments else None, clinic, first, last))


@pytest.mark.control("H-17-C4")
def test_no_count_between_1_and_7_is_published(export: tuple[Path, Path]) -> None:
    rows, appointments = read(export[0]), read(export[1])
    for clinic in (MAIN, OTHER, ALL_CLINICS):
        for first, last in (("2025-01", "2025-09"), ("2025-04", "2025-04")):
            text = report_csv(rows, appointments, title="t", clinic=clinic, first=first, last=last)
            for line in csv.DictReader(io.StringIO(text)):
                if line["statistic"] in ("count", "n"):
                    value = line["value"]
                    assert value in ("0", "*") or (int(value) >= 10 and int(value) % 5 == 0), line


def test_the_csv_layout(report: dict[str, Any]) -> None:
    text = report["csv"]
    assert text.splitlines()[0] == "section,group_by,group,measure,statistic,value"
    meta = {
        line["measure"]: line["value"] for line in report["lines"] if line["section"] == "report"
    }
    assert meta == {
        "title": "Equity and outcomes: renal outpatients",
        "clinic": MAIN,
        "first_month": FIRST,
        "last_month": LAST,
        "appointments_known": "yes",
        "suppression_rule": SUPPRESSION_RULE,
    }
    sections = [line["section"] for line in report["lines"]]
    assert sections == sorted(
        sections, key=["report", "funnel", "rate", "referrals", "outcomes"].index
    )


def test_a_title_that_looks_like_a_formula_is_defused(export: tuple[Path, Path]) -> None:
    rows = read(export[0])
    text = report_csv(rows, None, title="=HYPERLINK(1)", clinic=MAIN, first=FIRST, last=LAST)
    line = next(r for r in csv.DictReader(io.StringIO(text)) if r["measure"] == "title")
    assert line["value"] == "'=HYPERLINK(1)"
    # Negative numbers are left alone.
    assert any(
        r["value"].startswith("-")
        for r in csv.DictReader(io.StringIO(text))
        if r["statistic"] in ("mean_change", "ci_low")
    )


# ---------------------------------------------------------------- the PDF
@pytest.fixture(scope="module")
def pdf_text(report: dict[str, Any]) -> str:
    from pypdf import PdfReader

    data = figures_pdf(report["figures"])
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.2756, abs=0.01)  # A4
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_shows_the_headline_figures_suppressed(
    export: tuple[Path, Path], report: dict[str, Any], pdf_text: str
) -> None:
    rows, appointments = read(export[0]), read(export[1])
    expected = recount(rows, appointments, MAIN, FIRST, LAST)

    def count(step: str, group_by: str = "all", group: str = "all") -> str:
        return expected[("funnel", group_by, group, step, "count")]

    def rate(key: str, group_by: str = "all", group: str = "all") -> str:
        return expected[("rate", group_by, group, key, "percent")]

    for needle in (
        f"{count('started')} sessions started",
        f"{count('appointments')} appointments in the clinic lists",
        f"{count('completed')} sessions completed",
        f"{count('positive_completed')} completed, screened sessions with a social need flagged",
        f"{count('screened_completed')} completed sessions with the screen answered",
        f"{count('referred')} sessions with at least one referral",
        f"{rate('engaged')}%",
        f"{rate('flagged')}%",
        f"{rate('wants_help')}%",
    ):
        assert needle in pdf_text, needle
    assert "Quintile 1 is the most deprived 20% of neighbourhoods" in pdf_text
    assert (
        f"In quintile 1, {count('started', 'imd_quintile', '1')} sessions were started from "
        f"{count('appointments', 'imd_quintile', '1')} appointments" in pdf_text
    )
    assert "» 1 (most deprived 20%)" in pdf_text
    anxiety = ("outcomes", "all", "all", "ons4.anxiety")
    assert f"Anxiety (ONS4) lower {expected[(*anxiety, 'n')]}" in pdf_text
    assert f"{expected[(*anxiety, 'mean_baseline')]:.2f}" in pdf_text


def test_the_pdf_states_the_rule_the_denominators_and_the_sources(pdf_text: str) -> None:
    assert SUPPRESSION_RULE in pdf_text
    assert ONS_CREDIT in pdf_text
    assert "Renal · February 2025 to July 2025" in pdf_text
    assert "Equity and outcomes: renal outpatients" in pdf_text
    for words in (
        "sessions started / appointments",
        "screen positive / screened completers",
        "screen-positive sessions",
        "Wilcoxon",
        "95% confidence interval",
    ):
        assert words in pdf_text, words


def test_a_small_group_shows_a_star_in_the_pdf(pdf_text: str) -> None:
    # The Mixed row of the ethnic-group table: appointments, then started "*" and
    # every other figure "*" (or 0).
    row = re.search(r"Mixed \d+ \* ((?:\*|0) ){6}(?:\*|0) ", pdf_text)
    assert row, pdf_text
    assert re.search(
        r"Response rate: sessions started / appointments White \d+% Mixed \* ", pdf_text
    )
    assert "Self-management confidence (SEMCD) higher * * * * *" in pdf_text
    assert "fewer than 8 patients with a baseline and a follow-up" in pdf_text


def test_the_pdf_uses_the_bundled_fonts_only(report: dict[str, Any], read_pdf: Any) -> None:
    pdf = read_pdf(figures_pdf(report["figures"]))
    assert pdf.base_fonts() <= {"NotoSans-Regular", "NotoSans-Bold"}
    pdf.assert_no_missing_glyphs()


def test_without_appointments_and_without_ons4(export: tuple[Path, Path], read_pdf: Any) -> None:
    rows = [{k: v for k, v in row.items() if not k.startswith("ons4.")} for row in read(export[0])]
    pdf = read_pdf(report_pdf(rows, None, title="No lists", clinic=MAIN, first=FIRST, last=LAST))
    assert "Response rates need the appointments file" in pdf.flat
    assert "Office for National Statistics" not in pdf.flat
    assert "appointments in the clinic lists" not in pdf.flat


def test_an_empty_period_still_makes_a_report(export: tuple[Path, Path], read_pdf: Any) -> None:
    rows, appointments = read(export[0]), read(export[1])
    figures = compute_figures(
        rows, appointments, title="Empty", clinic="Nowhere", first="2024-01", last="2024-12"
    )
    assert figures.overall.started == 0
    pdf = read_pdf(figures_pdf(figures))
    assert "No referrals were recorded in this period." in pdf.flat
    lines = list(csv.DictReader(io.StringIO(figures_csv(figures))))
    assert {line["value"] for line in lines if line["statistic"] == "count"} == {"0"}


# ---------------------------------------------------------------- bad input
BASE_ROW = {column: "" for column in FIXED_COLUMNS} | {
    "period": "2025-03",
    "clinic": MAIN,
    "route": "tablet",
    "complete": "1",
    "screened": "0",
    "triaged": "0",
    "referred": "0",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"complete": "yes"}, "complete must be 1, 0 or empty"),
        ({"route": "post"}, "route must be tablet, assisted or paper"),
        ({"imd_quintile": "6"}, "imd_quintile must be 1 to 5"),
        ({"period": "March 2025"}, "period must be a month"),
        ({"patient": "abc", "visit": ""}, "visit must be a whole number"),
        ({"ons4.anxiety": "high", "patient": "abc", "visit": "1"}, "ons4.anxiety is not a number"),
    ],
)
def test_values_outside_the_contract_are_refused_with_the_row(
    change: dict[str, str], message: str
) -> None:
    row = BASE_ROW | change
    with pytest.raises(BoardReportError, match=message) as caught:
        compute_figures([BASE_ROW, row], None, title="t", first=FIRST, last=LAST)
    assert "data row 2" in str(caught.value)


def test_a_missing_column_and_bad_months_are_refused() -> None:
    row = {k: v for k, v in BASE_ROW.items() if k != "screened"}
    with pytest.raises(BoardReportError, match="no column 'screened'"):
        compute_figures([row], None, title="t", first=FIRST, last=LAST)
    with pytest.raises(BoardReportError, match="first month"):
        compute_figures([], None, title="t", first="2025-13", last=LAST)
    with pytest.raises(BoardReportError, match="after the last month"):
        compute_figures([], None, title="t", first=LAST, last=FIRST)
    with pytest.raises(BoardReportError, match="appointments is not a whole number"):
        compute_figures(
            [],
            [{"period": FIRST, "clinic": MAIN, "imd_quintile": "", "ethnic_group": "",
              "appointments": "many"}],
            title="t",
            first=FIRST,
            last=LAST,
        )  # fmt: skip


def test_the_same_visit_twice_is_refused() -> None:
    row = BASE_ROW | {"patient": "abc", "visit": "1"}
    with pytest.raises(BoardReportError, match="visit 1 appears twice"):
        compute_figures([row, row], None, title="t", first=FIRST, last=LAST)


# ---------------------------------------------------------------- routes
def _routed(route: str | None, quintile: str, group: str, n: int, complete: str = "1") -> list:
    row = BASE_ROW | {"imd_quintile": quintile, "ethnic_group": group, "complete": complete}
    if route is None:  # an export made before the route column: tablet sessions only
        return [{k: v for k, v in row.items() if k != "route"}] * n
    return [row | {"route": route}] * n


ROUTED = [
    *_routed("tablet", "1", "Asian", 10),
    *_routed("tablet", "1", "Asian", 2, complete="0"),  # stopped part way: no route's count
    *_routed("paper", "1", "Asian", 12),
    *_routed("assisted", "1", "Asian", 3),
    *_routed("tablet", "5", "White", 14),
    *_routed(None, "5", "White", 6),
]
ROUTED_APPOINTMENTS = [
    {"period": "2025-03", "clinic": MAIN, "imd_quintile": q, "ethnic_group": g, "appointments": n}
    for q, g, n in (("1", "Asian", "40"), ("5", "White", "25"))
]


def test_the_funnel_counts_completed_sessions_by_route_in_every_group() -> None:
    text = report_csv(ROUTED, ROUTED_APPOINTMENTS, title="t", clinic=MAIN, first=FIRST, last=LAST)
    values = {_key(line): line["value"] for line in csv.DictReader(io.StringIO(text))}

    def routes(group_by: str, group: str) -> list[str]:
        return [
            values[("funnel", group_by, group, step, "count")]
            for step in ("completed", "completed_tablet", "completed_assisted", "completed_paper")
        ]

    # 45 completed: 30 on the tablet alone (a row without the column is one), 3 with
    # staff (suppressed: 1 to 7), 12 on paper (rounded to 10).
    assert routes("all", "all") == ["45", "30", "*", "10"]
    assert routes("imd_quintile", "1") == ["25", "10", "*", "10"]
    assert routes("ethnic_group", "Asian") == ["25", "10", "*", "10"]
    assert routes("imd_quintile", "5") == routes("ethnic_group", "White") == ["20", "20", "0", "0"]
    assert routes("imd_quintile", "3") == ["0", "0", "0", "0"]


def test_the_pdf_shows_completed_sessions_by_route(read_pdf: Any) -> None:
    pdf = read_pdf(
        report_pdf(ROUTED, ROUTED_APPOINTMENTS, title="t", clinic=MAIN, first=FIRST, last=LAST)
    )
    text = " ".join(pdf.flat.split())
    # In the funnel, after the sessions completed:
    assert "Completed on the tablet alone completed sessions the patient did on the tablet" in text
    assert "alone (route = tablet) 30" in text
    assert "Completed with staff completed sessions a member of staff did with the patient" in text
    assert "(route = assisted) *" in text
    assert "Completed on paper paper forms filled in and keyed in by staff (route = paper) 10" in (
        text
    )
    # Whom each route reached: appointments, completed, tablet alone, with staff, on paper.
    assert "Routes: the tablet alone, with staff, on paper" in text
    assert "» 1 (most deprived 20%) 40 25 10 * 10" in text
    assert "5 (least deprived 20%) 25 20 20 0 0" in text
    assert "Asian 40 25 10 * 10" in text
    assert "White 25 20 20 0 0" in text
    assert text.count("Everyone 65 45 30 * 10") == 2  # under each grouping's table
