"""Export benchmarks: the anonymised CSV of 1,000,000 submissions (SQLite clinic).

export_1m_s             `kiosk export anonymised`'s work (Exporter.csv_chunks written to a
                        file) over 1,000,000 submissions, in a process of its own.
export_1m_peak_rss_mb   that process's peak resident memory (ru_maxrss): the export
                        streams, so this stays flat as the table grows.
export_ratio_vs_raw     export_1m_s divided by a bare CSV dump of the same tables
                        (Python's sqlite3 and csv modules: every column of submissions
                        and responses, blobs as hex), in a process of its own, same run.
                        export_1m_s also gives both processes' CPU seconds and their
                        ratio (cpu_s, baseline_cpu_s, cpu_ratio): the machine is shared,
                        and wall-clock time moves with whatever else runs.

The database holds the demo patients, sent once through the real tablet path, copied
(identifiers and answers re-sealed under each copy's id) to 1,000,000 submissions over
a year. The copies carry a 64-byte stand-in for the original envelope, which the export
never reads, so the file stays a few GB smaller. KIOSK_BENCH_EXPORT_ROWS sets a
smaller count for a quick check; the metrics are then named after it (export_100k_s at
100,000 rows, export_{n}_s for a count that is not a round thousand), and each says the
rows it ran as "n".
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks.bench_staff import PASSPHRASE, _copy_rows
from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoTablet, demo_list_csv
from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
from kiosk.engine import FormLibrary

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
ROWS = int(os.environ.get("KIOSK_BENCH_EXPORT_ROWS", "1000000"))
_RESULTS: dict[str, float] = {}


def _size(rows: int) -> str:
    """1000000 -> "1m", 100000 -> "100k"; any other count as it stands."""
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1000 == 0:
        return f"{rows // 1000}k"
    return str(rows)


SIZE = _size(ROWS)

_EXPORT = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from kiosk.clinic.exports.anonymity import ExportOptions
from kiosk.clinic.exports.audit import start_export
from kiosk.clinic.setup import open_service
start = time.perf_counter()
service = open_service(Path({folder!r}), {passphrase!r}, None, [Path({forms!r})])
options = ExportOptions("bench", "benchmark of the anonymised export")
rows = 0
with open({out!r}, "w", encoding="utf-8", newline="") as handle:
    for piece in start_export(service, options, "user:bench").csv_chunks():
        handle.write(piece)
        rows += piece.count("\\n")
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
peak = usage.ru_maxrss / 1024
print(json.dumps({{"seconds": elapsed, "rows": rows - 1, "peak_mb": peak, "cpu": cpu}}))
"""

_RAW = """
import csv, json, resource, sqlite3, time
start = time.perf_counter()
db = sqlite3.connect({database!r})
rows = 0
with open({out!r}, "w", encoding="utf-8", newline="") as handle:
    writer = csv.writer(handle)
    for table in ("submissions", "responses"):
        cursor = db.execute(f"select * from {{table}}")
        writer.writerow([c[0] for c in cursor.description])
        for row in cursor:
            writer.writerow([v.hex() if isinstance(v, bytes) else v for v in row])
            rows += 1
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({{"seconds": time.perf_counter() - start, "rows": rows, "cpu": cpu}}))
"""


def _child(code: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=7200
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark child failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure() -> None:
    library = FormLibrary.load(FORMS)
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-export-") as temp:
        folder = Path(temp) / "clinic"
        init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
        service = open_service(folder, PASSPHRASE, None, [FORMS])
        service.set_clinic_list(dt.date.today(), demo_list_csv(), "bench")
        running = serve_in_thread(service, folder)
        try:
            tablet = DemoTablet.enrol(
                running.url, service.issue_code("bench"), Path(temp) / "tablet", library
            )
            tablet.send(DEMO_PATIENTS)
            tablet.close()
        finally:
            running.stop()
        _copy_rows(service, ROWS - len(DEMO_PATIENTS), 0, envelope=b"\0" * 64)
        service.engine.dispose()
        exported = _child(
            _EXPORT.format(
                root=str(ROOT),
                folder=str(folder),
                passphrase=PASSPHRASE,
                forms=str(FORMS),
                out=str(Path(temp) / "export.csv"),
            )
        )
        assert exported["rows"] == ROWS, exported
        raw = _child(
            _RAW.format(database=str(folder / "clinic.db"), out=str(Path(temp) / "raw.csv"))
        )
    _RESULTS.update(
        seconds=exported["seconds"],
        peak=exported["peak_mb"],
        raw=raw["seconds"],
        cpu=exported["cpu"],
        raw_cpu=raw["cpu"],
    )


def _get(name: str) -> float:
    if not _RESULTS:
        _measure()
    return _RESULTS[name]


def export_s() -> dict[str, Any]:
    value, raw = _get("seconds"), _get("raw")
    cpu, raw_cpu = _get("cpu"), _get("raw_cpu")
    return {
        "value": value,
        "unit": "s",
        "baseline": raw,
        "ratio": value / raw,
        "n": ROWS,
        # CPU seconds of each process too: on a shared machine the wall-clock ratio
        # moves with whatever else runs while one of the two does.
        "cpu_s": cpu,
        "baseline_cpu_s": raw_cpu,
        "cpu_ratio": cpu / raw_cpu,
    }


def export_peak_rss_mb() -> dict[str, Any]:
    return {"value": _get("peak"), "unit": "MB", "n": ROWS}


def export_ratio() -> dict[str, Any]:
    return {"value": _get("seconds") / _get("raw"), "unit": "x", "n": ROWS}


# At the full size the ratio keeps its old name, so earlier figures still compare.
RATIO_NAME = "export_ratio_vs_raw" if ROWS == 1_000_000 else f"export_{SIZE}_ratio_vs_raw"
METRICS = {
    f"export_{SIZE}_s": export_s,
    f"export_{SIZE}_peak_rss_mb": export_peak_rss_mb,
    RATIO_NAME: export_ratio,
}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    return {name: measure() for name, measure in METRICS.items() if only is None or name in only}
