"""Mean change, its 95% CI and the Wilcoxon p-value agree with scipy and with hand sums."""

from __future__ import annotations

import math
import random
import statistics

import pytest
from scipy import stats as scipy_stats

from kiosk.reports.board.stats import (
    NOT_COMPUTED_FEW,
    NOT_COMPUTED_ZERO,
    mean_ci,
    paired_change,
    wilcoxon_p,
)

pytestmark = pytest.mark.export


def test_a_small_example_by_hand() -> None:
    # Differences 1, 2, 3, 2: mean 2; sd = sqrt(((1)^2 + 0 + 1 + 0) / 3) = sqrt(2/3);
    # sem = sqrt(2/3) / 2 = 0.40825; t(0.975, 3) = 3.182446 (tables: 3.182); half width
    # 3.182446 * 0.40825 = 1.2992, so the CI is 0.7008 to 3.2992.
    change = paired_change([4, 5, 2, 6], [5, 7, 5, 8])
    assert change.n == 4
    assert change.mean_baseline == pytest.approx(4.25)
    assert change.mean_follow_up == pytest.approx(6.25)
    assert change.mean_change == pytest.approx(2.0)
    half_width = 3.182446305284263 * math.sqrt(2 / 3) / 2
    assert half_width == pytest.approx(1.2992, abs=1e-4)
    assert change.ci_low == pytest.approx(2 - half_width)
    assert change.ci_high == pytest.approx(2 + half_width)
    assert change.ci_low == pytest.approx(0.7008, abs=1e-4)
    assert change.ci_high == pytest.approx(3.2992, abs=1e-4)


@pytest.mark.parametrize("seed", range(8))
def test_matches_scipy_on_random_pairs(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.choice([8, 12, 30, 75])
    baseline = [rng.randint(0, 10) for _ in range(n)]
    follow_up = [min(10, max(0, b + rng.randint(-2, 4))) for b in baseline]
    if all(a == b for a, b in zip(baseline, follow_up, strict=True)):
        follow_up[0] = (follow_up[0] + 1) % 11
    differences = [f - b for b, f in zip(baseline, follow_up, strict=True)]
    change = paired_change(baseline, follow_up)

    assert change.n == n
    assert change.mean_change == pytest.approx(statistics.fmean(differences))
    sem = scipy_stats.sem(differences)
    if sem > 0:
        low, high = scipy_stats.t.interval(
            0.95, n - 1, loc=statistics.fmean(differences), scale=sem
        )
        assert change.ci_low == pytest.approx(low)
        assert change.ci_high == pytest.approx(high)
    expected = scipy_stats.wilcoxon(baseline, follow_up)  # x - y: the sign does not matter
    assert change.wilcoxon_p == pytest.approx(expected.pvalue)
    assert change.wilcoxon_p == pytest.approx(scipy_stats.wilcoxon(differences).pvalue)


def test_matches_scipy_on_fractional_scores() -> None:
    baseline = [5.0, 6.333333, 4.5, 7.166667, 3.0, 8.0, 5.5, 6.0, 2.833333, 7.5]
    follow_up = [6.5, 6.0, 6.166667, 8.0, 4.5, 8.5, 7.0, 5.833333, 4.0, 7.0]
    differences = [f - b for b, f in zip(baseline, follow_up, strict=True)]
    change = paired_change(baseline, follow_up)
    low, high = scipy_stats.t.interval(
        0.95, 9, loc=statistics.fmean(differences), scale=scipy_stats.sem(differences)
    )
    assert (change.ci_low, change.ci_high) == (pytest.approx(low), pytest.approx(high))
    assert change.wilcoxon_p == pytest.approx(scipy_stats.wilcoxon(differences).pvalue)


def test_no_pairs() -> None:
    change = paired_change([], [])
    assert change.n == 0
    assert change.mean_change is None and change.ci_low is None and change.wilcoxon_p is None
    assert change.wilcoxon_note == NOT_COMPUTED_FEW


def test_one_pair_has_a_mean_but_no_interval_or_test() -> None:
    change = paired_change([3], [5])
    assert change.mean_change == 2
    assert change.ci_low is None and change.ci_high is None
    assert change.wilcoxon_p is None and change.wilcoxon_note == NOT_COMPUTED_FEW


def test_all_differences_zero_is_not_computed_without_a_warning() -> None:
    # scipy warns ("invalid value") and returns NaN here; the report says why instead.
    change = paired_change([4, 5, 6, 7, 8, 9, 3, 2], [4, 5, 6, 7, 8, 9, 3, 2])
    assert change.mean_change == 0
    assert (change.ci_low, change.ci_high) == (0, 0)
    assert change.wilcoxon_p is None and change.wilcoxon_note == NOT_COMPUTED_ZERO


def test_identical_non_zero_differences_have_a_zero_width_interval() -> None:
    # scipy.stats.t.interval with scale 0 warns; the interval is the mean itself.
    assert mean_ci([2.0, 2.0, 2.0]) == (2.0, 2.0)
    p, note = wilcoxon_p([2.0, 2.0, 2.0])
    assert p == pytest.approx(scipy_stats.wilcoxon([2.0, 2.0, 2.0]).pvalue)
    assert note == ""


def test_zeros_are_dropped_as_scipy_does() -> None:
    differences = [0, 0, 1, 2, -1, 3, 4, 0, 2, 5]
    p, _ = wilcoxon_p(differences)
    assert p == pytest.approx(scipy_stats.wilcoxon(differences, zero_method="wilcox").pvalue)


def test_two_pairs_is_enough_to_compute() -> None:
    change = paired_change([1, 2], [2, 4])
    assert change.ci_low is not None
    assert change.wilcoxon_p == pytest.approx(scipy_stats.wilcoxon([1, 2]).pvalue)


def test_unequal_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        paired_change([1, 2], [1])
