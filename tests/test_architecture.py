"""The layering contract (docs/ARCHITECTURE.md) holds, and can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": str(LINT_IMPORTS.parent), "PYTHONPATH": str(cwd)},
    )


@pytest.mark.control("H-07-C1")
def test_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("kiosk/engine/bands.py", "import sqlite3", "not allowed to import sqlite3"),
        ("kiosk/engine/form.py", "import kiosk.cli.main", "kiosk.engine.form -> kiosk.cli.main"),
        ("kiosk/site/paths.py", "import kiosk.cli.forms", "kiosk.site.paths -> kiosk.cli.forms"),
        ("kiosk/clinic/tls.py", "import kiosk.store.pin", "kiosk.clinic.tls -> kiosk.store.pin"),
        # a part of the clinic service importing the service that wires it: a cycle
        (
            "kiosk/clinic/casework.py",
            "import kiosk.clinic.service",
            "kiosk.clinic.casework -> kiosk.clinic.service",
        ),
    ],
)
def test_a_forbidden_import_breaks_the_contract(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "kiosk", tmp_path / "kiosk", ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    with (tmp_path / module).open("a", encoding="utf-8") as handle:
        handle.write(f"\n{line}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode == 1
    assert broken in result.stdout
