"""FHIR benchmarks.

import_fhir_ms  `kiosk forms import-fhir`'s work on the SDC implementation guide's
                published PHQ-9 Questionnaire: read the JSON, convert it, write the
                form's YAML and check it as `kiosk forms check` would (median of runs);
                baseline: reading the same JSON and writing it out as YAML with
                PyYAML's C dumper, same run. n: the Questionnaire's items, nested ones
                included.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from kiosk.exchange.fhir_import import import_questionnaire

PHQ9 = (
    Path(__file__).resolve().parents[1] / "tests" / "exchange" / "fhir_examples" / "sdc-phq9.json"
)
RUNS = 51


def _median_ms(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _count_items(items: list[dict[str, Any]]) -> int:
    return sum(1 + _count_items(item.get("item", [])) for item in items)


def import_fhir_ms() -> dict[str, float | str]:
    text = PHQ9.read_text(encoding="utf-8")

    def convert() -> None:
        import_questionnaire(json.loads(text), "phq9", label=PHQ9.name)

    def floor() -> None:
        yaml.dump(json.loads(text), Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)

    value = _median_ms(convert, RUNS)
    baseline = _median_ms(floor, RUNS)
    items = _count_items(json.loads(text).get("item", []))
    return {
        "value": value,
        "unit": "ms",
        "baseline": baseline,
        "ratio": value / baseline,
        "n": items,
    }


METRICS = {"import_fhir_ms": import_fhir_ms}


def run(only: set[str] | None = None) -> dict[str, dict[str, float | str]]:
    return {name: fn() for name, fn in METRICS.items() if only is None or name in only}
