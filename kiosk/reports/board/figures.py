"""What the board report publishes, before suppression: the funnel's steps and rates,
the groups it is broken down by, and the figures of one report.

``compute.compute_figures`` fills these in from the export's rows; ``publish``
suppresses small numbers; the PDF and the CSV lay them out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from kiosk.engine.facts import Measure
from kiosk.reports.board.routes import ROUTE_STEPS
from kiosk.reports.board.stats import PairedChange
from kiosk.reports.board.suppression import percent
from kiosk.reports.formatting import OUTCOME_WORDS, REFERRAL_WORDS

ALL_CLINICS = "All clinics"
UNKNOWN = "Unknown"
NOT_STATED = "Not stated"
QUINTILES = ("1", "2", "3", "4", "5", UNKNOWN)
MOST_DEPRIVED = "1"
ETHNIC_GROUPS = ("White", "Mixed", "Asian", "Black", "Other", NOT_STATED)
NO_OUTCOME = "not_recorded"
# Fewer patients than this with a baseline and a follow-up: statistics not shown.
MIN_PAIRS = 8


@dataclass(frozen=True)
class Step:
    """One count of the funnel: its key, its name on paper, and what it counts."""

    key: str
    label: str
    counts: str


FUNNEL_STEPS: tuple[Step, ...] = (
    Step("appointments", "Appointments", "appointments in the clinic lists"),
    Step("started", "Sessions started", "every session, finished or not (any route)"),
    Step("completed", "Completed", "sessions submitted (complete = 1)"),
    *(Step(key, label, counts) for key, label, counts in ROUTE_STEPS),
    Step("screened", "Screened", "sessions with the social-needs screen answered"),
    Step(
        "screened_completed",
        "Screened and completed",
        "completed sessions with the screen answered",
    ),
    Step("screen_positive", "Screen positive", "sessions with any social need flagged"),
    Step(
        "positive_completed",
        "Screen positive, completed",
        "completed, screened sessions with any social need flagged",
    ),
    Step("wants_help", "Wants help", "sessions where the patient asked to talk to someone"),
    Step(
        "positive_wants_help",
        "Screen positive, wants help",
        "screen-positive sessions where the patient asked to talk to someone",
    ),
    Step(
        "financial_hardship",
        "Financial hardship",
        "sessions with difficulty making ends meet",
    ),
    Step(
        "positive_hardship",
        "Screen positive, financial hardship",
        "screen-positive sessions with difficulty making ends meet",
    ),
    Step("triaged", "Triaged", "sessions whose status staff changed from new"),
    Step("referred", "Referred", "sessions with at least one referral"),
)
STEPS_BY_KEY = {step.key: step for step in FUNNEL_STEPS}
# The steps drawn as the funnel chart, in order.
CHART_STEPS = (
    "appointments",
    "started",
    "completed",
    "screened",
    "screen_positive",
    "wants_help",
    "triaged",
    "referred",
)


@dataclass(frozen=True)
class Rate:
    """A percentage: numerator and denominator are funnel step keys."""

    key: str
    label: str
    numerator: str
    denominator: str


RATES: tuple[Rate, ...] = (
    Rate("engaged", "Engaged (response rate)", "started", "appointments"),
    Rate("completed", "Completed", "completed", "started"),
    Rate("flagged", "Screen positive", "positive_completed", "screened_completed"),
    Rate("wants_help", "Wants help", "positive_wants_help", "screen_positive"),
    Rate("financial_hardship", "Financial hardship", "positive_hardship", "screen_positive"),
)
RATES_BY_KEY = {rate.key: rate for rate in RATES}


@dataclass(frozen=True)
class Funnel:
    """The funnel's counts for one group of sessions (unsuppressed)."""

    appointments: int | None  # None when no appointments CSV was given
    started: int = 0
    completed: int = 0
    completed_tablet: int = 0  # the completed, by route (kiosk.reports.board.routes)
    completed_assisted: int = 0
    completed_paper: int = 0
    screened: int = 0
    screened_completed: int = 0
    screen_positive: int = 0
    positive_completed: int = 0
    wants_help: int = 0
    positive_wants_help: int = 0
    financial_hardship: int = 0
    positive_hardship: int = 0
    triaged: int = 0
    referred: int = 0

    def count(self, key: str) -> int | None:
        """A step's count by key; None only for unknown appointments."""
        if key not in STEPS_BY_KEY:
            raise KeyError(key)
        value: int | None = getattr(self, key)
        return value

    def rate(self, key: str) -> tuple[int, int] | None:
        """A rate's (numerator, denominator), or None when appointments are unknown."""
        rate = RATES_BY_KEY[key]
        numerator, denominator = self.count(rate.numerator), self.count(rate.denominator)
        if numerator is None or denominator is None:
            return None
        return numerator, denominator

    def percent(self, key: str) -> Fraction | None:
        counts = self.rate(key)
        return None if counts is None else percent(*counts)


@dataclass(frozen=True)
class MeasureOutcome:
    """Baseline against follow-up for one measure."""

    measure: Measure
    change: PairedChange

    @property
    def shown(self) -> bool:
        """Statistics are published only for at least MIN_PAIRS patients."""
        return self.change.n >= MIN_PAIRS


@dataclass(frozen=True)
class BoardFigures:
    """Everything the board report publishes, before suppression."""

    title: str
    clinic: str
    first: str  # YYYY-MM
    last: str
    appointments_known: bool
    overall: Funnel
    by_imd: dict[str, Funnel]  # QUINTILES order
    by_ethnic: dict[str, Funnel]  # ETHNIC_GROUPS order, then any others
    referrals: dict[tuple[str, str], int]  # (kind, outcome) -> referrals
    outcomes: tuple[MeasureOutcome, ...]
    columns: frozenset[str] = field(default_factory=frozenset)

    @property
    def referral_kinds(self) -> list[str]:
        return _ordered({kind for kind, _ in self.referrals}, REFERRAL_WORDS)

    @property
    def referral_outcomes(self) -> list[str]:
        return _ordered({outcome for _, outcome in self.referrals}, OUTCOME_WORDS)

    def referrals_by_outcome(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for (_, outcome), count in self.referrals.items():
            totals[outcome] += count
        return {outcome: totals[outcome] for outcome in self.referral_outcomes}

    def referrals_by_kind(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for (kind, _), count in self.referrals.items():
            totals[kind] += count
        return {kind: totals[kind] for kind in self.referral_kinds}

    @property
    def total_referrals(self) -> int:
        return sum(self.referrals.values())

    @property
    def has_ons4(self) -> bool:
        """True when ONS4 figures appear (the OGL credit is then required)."""
        return any(o.measure.id.startswith("ons4.") for o in self.outcomes)


def _ordered(values: set[str], known: Mapping[str, str]) -> list[str]:
    """Known codes in their usual order, then any others alphabetically."""
    return [code for code in known if code in values] + sorted(values - set(known))
