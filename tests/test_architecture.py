"""The layering contract (docs/ARCHITECTURE.md) holds, and can fail; the map names
every module there is, and none that is gone."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
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
    assert "Contracts: 7 kept, 0 broken" in result.stdout


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
        # each library in its layer: Qt in kiosk.ui, the database in the stores,
        # reportlab in kiosk.reports
        ("kiosk/cli/run.py", "import PySide6.QtCore", "kiosk.cli.run -> PySide6"),
        ("kiosk/journey/flow.py", "import shiboken6", "kiosk.journey.flow -> shiboken6"),
        ("kiosk/console/client.py", "import sqlalchemy", "kiosk.console.client -> sqlalchemy"),
        ("kiosk/cli/clinic.py", "import alembic.command", "kiosk.cli.clinic -> alembic"),
        ("kiosk/clinic/summary.py", "import reportlab", "kiosk.clinic.summary -> reportlab"),
        (
            "kiosk/ui/staff/documents.py",
            "import reportlab.pdfgen",
            "kiosk.ui.staff.documents -> reportlab",
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


# Each library only in its layer: the contract's id, and the top-level packages where
# the library may be imported. Every other top-level module must be a source.
LIBRARY_HOMES = {
    "qt-in-ui": {"kiosk.ui"},
    "database-in-stores": {"kiosk.store", "kiosk.clinic"},
    "pdf-in-reports": {"kiosk.reports"},
}


def _top_level_modules() -> set[str]:
    names = {f"kiosk.{p.stem}" for p in (ROOT / "kiosk").glob("*.py") if p.stem != "__init__"}
    return names | {f"kiosk.{p.parent.name}" for p in (ROOT / "kiosk").glob("*/__init__.py")}


@pytest.mark.parametrize("contract_id", sorted(LIBRARY_HOMES))
def test_a_library_is_forbidden_in_every_package_but_its_own(contract_id: str) -> None:
    """A new top-level package is covered as soon as it exists, or this fails."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    [contract] = [
        c for c in settings["tool"]["importlinter"]["contracts"] if c["id"] == contract_id
    ]
    assert contract["type"] == "forbidden"
    sources = set(contract["source_modules"])
    assert sources.isdisjoint(LIBRARY_HOMES[contract_id])
    assert sources | LIBRARY_HOMES[contract_id] == _top_level_modules()


MAP = ROOT / "docs" / "ARCHITECTURE.md"


def _mapped_modules() -> set[str]:
    """The modules the map's tables name in their first column (paths from kiosk/)."""
    named: set[str] = set()
    for line in MAP.read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            named.update(re.findall(r"`([\w/]+\.py)`", line.split("|")[1]))
    return named


def _modules() -> set[str]:
    """Every module under kiosk/ but package files and database migrations."""
    return {
        path.relative_to(ROOT / "kiosk").as_posix()
        for path in (ROOT / "kiosk").rglob("*.py")
        if path.name not in ("__init__.py", "__main__.py") and "migrations" not in path.parts
    }


def test_the_map_has_a_row_for_every_module() -> None:
    missing = sorted(_modules() - _mapped_modules())
    assert not missing, f"docs/ARCHITECTURE.md has no row for: {', '.join(missing)}"


def test_the_map_names_no_module_that_is_gone() -> None:
    gone = sorted(_mapped_modules() - _modules())
    assert not gone, f"docs/ARCHITECTURE.md names modules that do not exist: {', '.join(gone)}"


def import_cycles(package: str, root: Path) -> list[list[str]]:
    """Groups of the package's modules that import each other, directly or through
    others (any import: at the top, inside a function, or only for type checking)."""
    program = f"""
import json, sys, grimp
sys.setrecursionlimit(10000)
graph = grimp.build_graph({package!r}, include_external_packages=False, cache_dir=None)
edges = {{m: graph.find_modules_directly_imported_by(m) for m in graph.modules}}
index, low, stack, on, groups = {{}}, {{}}, [], set(), []
def visit(v):
    index[v] = low[v] = len(index); stack.append(v); on.add(v)
    for w in edges[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        group = []
        while True:
            w = stack.pop(); on.discard(w); group.append(w)
            if w == v: break
        if len(group) > 1: groups.append(sorted(group))
for m in sorted(edges):
    if m not in index: visit(m)
print(json.dumps(groups))
"""
    import json

    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root)},
        check=True,
    )
    groups: list[list[str]] = json.loads(result.stdout)
    return groups


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert import_cycles("kiosk", ROOT) == []


def test_an_import_back_is_found_as_a_cycle(tmp_path: Path) -> None:
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "kiosk", copy / "kiosk", ignore=shutil.ignore_patterns("__pycache__"))
    session = copy / "kiosk" / "store" / "session.py"
    session.write_text(
        session.read_text()
        + "\n\ndef _later() -> None:\n    from kiosk.store.store import TabletStore  # noqa\n"
    )
    assert import_cycles("kiosk", copy) == [["kiosk.store.session", "kiosk.store.store"]]
