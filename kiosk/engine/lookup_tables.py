"""A lookup score's table read from a CSV file beside its form (``table_file``):
``raw,converted`` numbers, one row a line, at most ``MAX_TABLE_ROWS`` lines.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

from kiosk.engine.schema import FormSpec, LookupScore
from kiosk.engine.yamlsource import Path as YamlPath

MAX_TABLE_ROWS = 10_000

# Where in the form file, and what is wrong (checks.py turns it into a Problem).
AddProblem = Callable[[YamlPath, str], None]


def read_lookup_tables(spec: FormSpec, folder: Path, add: AddProblem) -> FormSpec:
    """``spec`` with each lookup score's ``table_file`` (in ``folder``, the form's own)
    read into its ``table``; each fault passed to ``add`` at the score's place."""
    scores = list(spec.scores)
    for index, score in enumerate(scores):
        if not isinstance(score, LookupScore):
            continue
        where = ("scores", index)
        if (score.table is None) == (score.table_file is None):
            add(where, f"lookup score '{score.id}' needs exactly one of table or table_file")
            continue
        if score.table_file is not None:
            if Path(score.table_file).name != score.table_file or score.table_file.startswith("."):
                add(
                    (*where, "table_file"),
                    "table_file must be a file name in the form's own folder, not a path",
                )
                continue
            table = _read_csv_table(folder / score.table_file, (*where, "table_file"), add)
            scores[index] = score.model_copy(update={"table": table, "table_file": None})
    return spec.model_copy(update={"scores": scores})


def _read_csv_table(path: Path, where: YamlPath, add: AddProblem) -> dict[int, float]:
    """``raw,converted`` rows; a header row, blank lines and ``#`` comments are skipped."""
    table: dict[int, float] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                if number > MAX_TABLE_ROWS:
                    add(where, f"{path.name} has more than {MAX_TABLE_ROWS} lines")
                    return {}
                if not row or row[0].strip().startswith("#"):
                    continue
                try:
                    raw, converted = int(row[0]), float(row[1])
                    if not math.isfinite(converted):
                        raise ValueError(row[1])
                except (ValueError, IndexError):
                    if number == 1:  # a header row
                        continue
                    add(where, f"{path.name} line {number}: expected 'raw,converted' numbers")
                    return {}
                if raw in table:
                    add(where, f"{path.name} line {number}: raw score {raw} appears twice")
                table[raw] = converted
    except OSError as exc:
        add(where, f"cannot read lookup table {path}: {exc.strerror or exc}")
        return {}
    except UnicodeDecodeError:
        add(where, f"lookup table {path.name} is not UTF-8 text")
        return {}
    if not table:
        add(where, f"lookup table {path.name} has no rows")
    return table
