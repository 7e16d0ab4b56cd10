"""A fresh machine installs the same thing every time: every Python package from
requirements.lock at its exact version and hash, and the Debian packages `make run`
and `make test` need installed by tools/system-packages.sh (or named, exactly, when
it is not run as root)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

pytestmark = pytest.mark.release
ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
SCRIPT = ROOT / "tools" / "system-packages.sh"
_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>\S+)(?: ; (?P<marker>.+?))? \\$"
)
_HASH = re.compile(r"^\s+--hash=sha256:[0-9a-f]{64}(?: \\)?$")


@dataclass
class Pin:
    name: str
    version: Version
    marker: Marker | None
    line: int
    hashes: int = 0
    applies: bool = field(init=False)

    def __post_init__(self) -> None:
        self.applies = self.marker is None or self.marker.evaluate()


def read_lock() -> list[Pin]:
    pins: list[Pin] = []
    for number, line in enumerate(LOCK.read_text().splitlines(), start=1):
        if match := _PIN.match(line):
            marker = Marker(match["marker"]) if match["marker"] else None
            pins.append(
                Pin(canonicalize_name(match["name"]), Version(match["version"]), marker, number)
            )
        elif _HASH.match(line):
            assert pins, f"requirements.lock:{number}: a hash before any package"
            pins[-1].hashes += 1
        else:
            assert not line.strip() or line.lstrip().startswith("#"), (
                f"requirements.lock:{number}: not a pinned package, a hash or a comment: {line!r}"
            )
    return pins


def declared() -> list[Requirement]:
    """Everything pyproject.toml asks for: dependencies, every extra, the build backend."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for extra in project["project"]["optional-dependencies"].values():
        wanted += extra
    own = canonicalize_name(project["project"]["name"])
    return [r for r in map(Requirement, wanted) if canonicalize_name(r.name) != own]


def test_every_package_is_pinned_exactly_with_hashes() -> None:
    pins = read_lock()
    assert len(pins) > 50
    for pin in pins:
        assert pin.hashes >= 1, f"requirements.lock:{pin.line}: {pin.name} has no hash"


def test_the_lock_meets_every_lower_bound_in_pyproject() -> None:
    pins = {pin.name: pin for pin in read_lock() if pin.applies}
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock"
        assert requirement.specifier.contains(pins[name].version, prereleases=True), (
            f"requirements.lock pins {name}=={pins[name].version}, "
            f"outside pyproject.toml's {requirement.specifier}: run make upgrade-deps"
        )


def test_the_installed_packages_are_the_locked_ones() -> None:
    wrong = []
    for pin in read_lock():
        if not pin.applies:
            continue
        try:
            installed = Version(metadata.version(pin.name))
        except metadata.PackageNotFoundError:
            wrong.append(f"{pin.name} is locked but not installed")
            continue
        if installed != pin.version:
            wrong.append(f"{pin.name} {installed} is installed; the lock says {pin.version}")
    assert not wrong, "; ".join(wrong) + " (make clean test reinstalls from the lock)"


def test_make_installs_only_from_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes --no-deps -r $(LOCK)" in makefile
    assert "--no-deps --no-build-isolation -e ." in makefile
    assert re.search(r"^run: system-run ", makefile, re.M)
    assert re.search(r"^test: system-test ", makefile, re.M)
    assert "upgrade-deps:" in makefile


# ---------------------------------------------------------------- system packages


def fake_machine(tmp_path: Path, uid: int) -> dict[str, str]:
    """A PATH where `id` says ``uid``, the dynamic linker knows no libraries, no tool
    the tests use is installed, and apt-get only records what it was asked."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stubs = {
        "id": f"echo {uid}",
        "ldconfig": "exit 0",
        "apt-get": f'echo "$*" >> {tmp_path}/apt.log',
        "nginx": "exit 0",
    }
    for name, body in stubs.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    (bin_dir / "python3").symlink_to(sys.executable)
    for tool in ("bash", "grep", "sort", "ls", "cat", "mktemp", "rm", "printf"):
        found = subprocess.run(["which", tool], capture_output=True, text=True, check=False)
        if found.returncode == 0:
            (bin_dir / tool).symlink_to(found.stdout.strip())
    return {**os.environ, "PATH": str(bin_dir), "PYTHON": "python3"}


def test_as_another_user_it_names_the_exact_apt_get_line_and_stops(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(SCRIPT), "run"],
        env=fake_machine(tmp_path, 1000),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    line = next(x for x in done.stderr.splitlines() if "apt-get install" in x)
    qt = ["libdbus-1-3", "libegl1", "libfontconfig1", "libfreetype6", "libgl1",
          "libglib2.0-0", "libpulse0", "libx11-6", "libxcb1", "libxkbcommon0"]  # fmt: skip
    assert line.split() == ["apt-get", "install", *qt]
    assert not (tmp_path / "apt.log").exists()


def test_as_root_it_installs_what_the_tests_need(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(SCRIPT), "test"],
        env=fake_machine(tmp_path, 0),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[0] == "update -qq"
    installed = calls[1].split()
    assert installed[:3] == ["install", "-y", "-qq"]
    for package in ("libpulse0", "libegl1", "binutils", "systemd", "shellcheck", "apt",
                    "postgresql-client", "chromium", "nodejs", "npm"):  # fmt: skip
        assert package in installed[3:]


def test_nothing_is_installed_when_nothing_is_missing() -> None:
    done = subprocess.run(["bash", str(SCRIPT), "run"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
