"""Questionnaire engine benchmarks.

forms_load_ms  load and check every shipped form and pathway (median of runs);
               baseline: parsing the same YAML files with PyYAML's C loader alone.
               n: the number of form files.
score_per_s    responses scored per second, over 100,000 random valid responses
               spread across every shipped form (generation not timed).
"""

from __future__ import annotations

import random
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from kiosk.engine import FormLibrary
from kiosk.engine.sample import random_answers

FORMS = Path(__file__).resolve().parents[1] / "forms"
LOAD_RUNS = 15
RESPONSES = 100_000


def _median_ms(action: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def forms_load_ms() -> dict[str, float | str]:
    files = sorted(FORMS.glob("*.yaml"))

    def parse_only() -> None:
        for file in files:
            yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    value = _median_ms(lambda: FormLibrary.load(FORMS), LOAD_RUNS)
    baseline = _median_ms(parse_only, LOAD_RUNS)
    return {
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": value / baseline,
        "n": len(files),
    }


def score_per_s() -> dict[str, float | str]:
    library = FormLibrary.load(FORMS)
    forms = library.forms()
    rng = random.Random(20261123)
    baselines: dict[str, dict[str, Any]] = {}
    work = []
    for index in range(RESPONSES):
        form = forms[index % len(forms)]
        baseline = None
        if form.spec.baseline is not None:
            origin = library.get(form.spec.baseline.form)
            baseline = baselines.setdefault(
                form.id, dict(origin.evaluate(random_answers(origin, rng)).answers)
            )
        work.append((form, random_answers(form, rng, baseline=baseline), baseline))
    start = time.perf_counter()
    for form, answers, baseline in work:
        form.evaluate(answers, baseline=baseline)
    elapsed = time.perf_counter() - start
    return {"value": RESPONSES / elapsed, "unit": "per_s", "n": RESPONSES}


METRICS = {"forms_load_ms": forms_load_ms, "score_per_s": score_per_s}


def run(only: set[str] | None = None) -> dict[str, dict[str, float | str]]:
    return {name: fn() for name, fn in METRICS.items() if only is None or name in only}
