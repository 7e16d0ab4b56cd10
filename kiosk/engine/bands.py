"""Banding tables: map a number to a band code (or a level).

A table is a list of inclusive ranges on a grid of ``step`` (1 for whole
numbers, 0.1 for one decimal place, ...). The ranges must follow one another
with no gap and no overlap: the next ``min`` is the previous ``max`` plus one
step. A value is rounded (half up) to the grid before it is looked up, so a
mean of 47.05 on a 0.1 grid falls in the band that holds 47.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

ALLOWED_STEPS = tuple(Decimal(1).scaleb(-n) for n in range(7))  # 1, 0.1, ... 0.000001
_WIDE = Context(prec=1000)  # room for any finite float on any allowed grid


def to_decimal(number: float | int) -> Decimal:
    return Decimal(str(number))


def to_grid(value: Decimal, step: Decimal) -> Decimal | None:
    """``value`` rounded half up to the grid of ``step``; None if infinite or absurdly large."""
    try:
        return value.quantize(step, rounding=ROUND_HALF_UP, context=_WIDE)
    except InvalidOperation:
        return None


def round_half_up(value: float | int, digits: int) -> float:
    """``value`` rounded half up to ``digits`` decimal places (``round`` rounds half to even)."""
    point = to_grid(to_decimal(value), Decimal(1).scaleb(-digits))
    return float(value) if point is None else float(point)


@dataclass(frozen=True)
class BandRow:
    code: str
    low: Decimal
    high: Decimal


class BandTable:
    def __init__(self, rows: Sequence[tuple[str, float | int, float | int]], step: float) -> None:
        self.step = to_decimal(step).normalize()  # band_step 1.0 is the whole-number grid
        self.rows = tuple(BandRow(code, to_decimal(lo), to_decimal(hi)) for code, lo, hi in rows)
        self.low = self.rows[0].low if self.rows else Decimal(0)
        self.high = self.rows[-1].high if self.rows else Decimal(0)

    def classify(self, value: float | int | None) -> str | None:
        """The band code for ``value``; None when unanswered or outside every band."""
        if value is None:
            return None
        point = to_grid(to_decimal(value), self.step)
        if point is None:
            return None
        for row in self.rows:
            if row.low <= point <= row.high:
                return row.code
        return None


def band_table_problems(
    rows: Sequence[tuple[str, float | int, float | int]],
    step: float,
    expected_range: tuple[float, float] | None = None,
) -> list[tuple[int | None, str]]:
    """Faults in a banding table as (row index or None for the table, message)."""
    problems: list[tuple[int | None, str]] = []
    grid = to_decimal(step).normalize()
    if grid not in ALLOWED_STEPS:
        return [(None, f"band step {step} must be 1, 0.1, 0.01, ... (a power of ten)")]
    if not rows:
        return [(None, "a banding table needs at least one band")]
    codes: set[str] = set()
    previous: tuple[Decimal, str] | None = None
    for index, (code, lo, hi) in enumerate(rows):
        low, high = to_decimal(lo), to_decimal(hi)
        if code in codes:
            problems.append((index, f"band '{code}' appears twice"))
        codes.add(code)
        for bound in (low, high):
            if to_grid(bound, grid) != bound:
                problems.append((index, f"band '{code}': {bound} is not on the {grid} grid"))
        if low > high:
            problems.append((index, f"band '{code}' runs backwards: min {low} is above max {high}"))
        if previous is not None:
            expected = previous[0] + grid
            if low > expected:
                problems.append(
                    (
                        index,
                        f"gap between band '{previous[1]}' (to {previous[0]}) and "
                        f"band '{code}' (from {low}): {expected} falls in no band",
                    )
                )
            elif low < expected:
                problems.append(
                    (
                        index,
                        f"band '{code}' (from {low}) overlaps band '{previous[1]}' "
                        f"(to {previous[0]})",
                    )
                )
        previous = (high, code)
    if expected_range is not None and not problems:
        first, last = to_decimal(expected_range[0]), to_decimal(expected_range[1])
        if to_decimal(rows[0][1]) > first:
            problems.append((0, f"the bands start at {rows[0][1]}, but values start at {first}"))
        if to_decimal(rows[-1][2]) < last:
            problems.append(
                (len(rows) - 1, f"the bands end at {rows[-1][2]}, but values go up to {last}")
            )
    return problems
