"""Change between a baseline and a follow-up: mean change, its 95% CI, Wilcoxon p.

Differences are follow-up minus baseline, one per patient. The confidence
interval is the usual one for a mean, from the t distribution with n - 1
degrees of freedom: mean +- t(0.975, n - 1) * sd / sqrt(n). The p-value is scipy's
two-sided Wilcoxon signed-rank test on the differences (zero differences
dropped, scipy's default "wilcox" method; scipy picks the exact distribution
for small samples without ties or zeros and the normal approximation
otherwise).

scipy cannot test fewer than two pairs or differences that are all zero (it
warns and returns NaN), so those cases are decided here first and reported as
"not computed", with the reason.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats  # type: ignore[import-untyped]

CONFIDENCE = 0.95

NOT_COMPUTED_FEW = "fewer than 2 patients with a baseline and a follow-up"
NOT_COMPUTED_ZERO = "every patient's change is zero"
NOT_COMPUTED_SCIPY = "scipy could not compute it"


@dataclass(frozen=True)
class PairedChange:
    """Baseline against follow-up for one measure, unsuppressed."""

    n: int
    mean_baseline: float | None
    mean_follow_up: float | None
    mean_change: float | None  # follow-up minus baseline
    ci_low: float | None  # None when n < 2
    ci_high: float | None
    wilcoxon_p: float | None  # None when not computed
    wilcoxon_note: str  # why the p-value was not computed; "" when it was


def mean_ci(differences: Sequence[float], confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The t-based confidence interval of the mean of at least two values.

    When every value is the same the standard error is 0 and the interval is
    the mean itself (scipy would warn and return NaN for a scale of 0).
    """
    n = len(differences)
    if n < 2:
        raise ValueError("a confidence interval needs at least two values")
    mean = statistics.fmean(differences)
    sem = statistics.stdev(differences) / math.sqrt(n)
    if sem == 0:
        return mean, mean
    t = float(scipy_stats.t.ppf((1 + confidence) / 2, n - 1))
    return mean - t * sem, mean + t * sem


def wilcoxon_p(differences: Sequence[float]) -> tuple[float | None, str]:
    """The two-sided Wilcoxon signed-rank p-value, or None and the reason."""
    if len(differences) < 2:
        return None, NOT_COMPUTED_FEW
    if all(d == 0 for d in differences):
        return None, NOT_COMPUTED_ZERO
    result = scipy_stats.wilcoxon(
        np.asarray(differences, dtype=float),
        zero_method="wilcox",
        alternative="two-sided",
        method="auto",
    )
    p = float(result.pvalue)
    if not math.isfinite(p):
        return None, NOT_COMPUTED_SCIPY
    return p, ""


def paired_change(baseline: Sequence[float], follow_up: Sequence[float]) -> PairedChange:
    """Summarise paired values (the i-th baseline belongs with the i-th follow-up)."""
    if len(baseline) != len(follow_up):
        raise ValueError("baseline and follow-up must have the same length")
    n = len(baseline)
    if n == 0:
        return PairedChange(0, None, None, None, None, None, None, NOT_COMPUTED_FEW)
    differences = [after - before for before, after in zip(baseline, follow_up, strict=True)]
    low: float | None = None
    high: float | None = None
    if n >= 2:
        low, high = mean_ci(differences)
    p, note = wilcoxon_p(differences)
    return PairedChange(
        n=n,
        mean_baseline=statistics.fmean(baseline),
        mean_follow_up=statistics.fmean(follow_up),
        mean_change=statistics.fmean(differences),
        ci_low=low,
        ci_high=high,
        wilcoxon_p=p,
        wilcoxon_note=note,
    )
