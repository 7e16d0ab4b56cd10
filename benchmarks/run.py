"""Run every benchmark, write build/bench.json and print a table.

Each metric is ``{"value": ..., "unit": ..., "n": ...}``: ``n`` is the size of
the workload it ran (rows, questions, submissions...), and a metric whose size
can be changed (an environment variable for a quick check) is named after the
size it ran, so figures of different sizes are never compared by mistake.
Where a floor can be measured in the same run (the machine is shared and
noisy), the metric also carries ``"baseline"`` (the floor, same unit) and
``"ratio"`` (value / baseline). A metric that cannot be measured (a missing
PostgreSQL server, say) fails the run rather than being left out.

    python benchmarks/run.py [--output build/bench.json] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODULES = [
    "benchmarks.bench_engine",
    "benchmarks.bench_store",
    "benchmarks.bench_ui",
    "benchmarks.bench_clinic",
    "benchmarks.bench_staff",
    "benchmarks.bench_reports",
    "benchmarks.bench_export",
    "benchmarks.bench_fhir",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--only", nargs="*", help="run only these metrics")
    args = parser.parse_args()
    results: dict[str, dict[str, float | str]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        measured = module.run(only=set(args.only) if args.only else None)
        for metric, entry in measured.items():
            if "n" not in entry:
                raise SystemExit(f"{name}: metric {metric} does not say its workload size (n)")
        results.update(measured)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{'metric':<34} {'n':>9} {'value':>14} {'unit':<8} {'baseline':>12} {'ratio':>8}")
    for metric, entry in results.items():
        baseline = f"{entry['baseline']:.3f}" if "baseline" in entry else ""
        ratio = f"{entry['ratio']:.2f}" if "ratio" in entry else ""
        size = f"{entry['n']:,}"
        print(
            f"{metric:<34} {size:>9} {entry['value']:>14.3f} {entry['unit']:<8} "
            f"{baseline:>12} {ratio:>8}"
        )
    print(f"\nwritten to {args.output} (python {platform.python_version()}, {platform.machine()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
