"""The tablet kiosk as a PyInstaller one-folder bundle (packaging/kiosk.spec) works on its own.

The bundle is built once for this module into a temporary folder (about a
minute on two cores; packaging/README-bundle.md). ``KIOSK_BUNDLE_DIR`` names an
already built bundle folder instead (``make package`` makes
dist/what-matters-kiosk). PyInstaller missing is a failure, not a skip: the
``test`` extra installs it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.release, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "kiosk.spec"
NAME = "what-matters-kiosk"
EXECUTABLE = NAME + (".exe" if sys.platform == "win32" else "")
BUILD_TIMEOUT = 1800  # seconds; about 60 on a two-core CI machine
RUN_TIMEOUT = 120
# A bundle that grows past this has picked up something the tablet does not use
# (scipy and numpy alone would add about 110 MB); it is about 330 MB on Linux.
MAX_BUNDLE_MB = 400
DEMO_HINT = "check in with date of birth 03/03/1950"
NOT_ENROLLED = "kiosk: the tablet was not enrolled, so the kiosk did not start."


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def files_in(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundle's folder, holding the executable and _internal/."""
    given = os.environ.get("KIOSK_BUNDLE_DIR")
    if given:
        folder = Path(given).resolve()
        if not (folder / EXECUTABLE).is_file():
            pytest.fail(f"KIOSK_BUNDLE_DIR={given} holds no {EXECUTABLE}; build it: make package")
        yield folder
        return
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail(
            "PyInstaller is not installed in this environment; it is in the test extra "
            "(pip install -e '.[test]', or make test)"
        )
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(SPEC),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        cwd=ROOT,
        # Its own cache, so that builds running side by side do not share one.
        env={**os.environ, "PYINSTALLER_CONFIG_DIR": str(work / "cache")},
    )
    if result.returncode != 0:
        pytest.fail(f"PyInstaller failed (exit {result.returncode}):\n{result.stderr[-6000:]}")
    shutil.rmtree(work / "build")  # PyInstaller's intermediate files, a few hundred MB
    folder = work / "dist" / NAME
    print(  # shown with -s or -rA
        f"bundle built in {time.monotonic() - started:.0f} s: "
        f"{folder_size(folder) / 1e6:.0f} MB in {folder}"
    )
    yield folder
    shutil.rmtree(work, ignore_errors=True)  # pytest keeps its last few temporary folders


def run_bundle(
    bundle: Path, cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The bundled command, offscreen, with a fresh data folder and none of the
    environment variables that would point it back into this repository."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH", "PYTHONHOME")
        and not k.startswith("KIOSK_")
    }
    base.update(
        QT_QPA_PLATFORM="offscreen",
        KIOSK_SPEECH_ENGINE="mock",
        KIOSK_DATA_DIR=str(cwd / "site"),
    )
    base.update(env or {})
    return subprocess.run(
        [str(bundle / EXECUTABLE), *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        env=base,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def demo_run(bundle: Path, tmp_path_factory: pytest.TempPathFactory):
    """One offscreen start of the bundled kiosk with its demo clinic, quit after 3 s."""
    place = tmp_path_factory.mktemp("demo-run")
    before = files_in(bundle)
    result = run_bundle(bundle, place, "run", "--demo", str(place / "demo"), "--quit-after", "3000")
    return place, result, before


def test_forms_check_in_the_bundle_finds_the_shipped_forms_valid(
    bundle: Path, tmp_path: Path
) -> None:
    result = run_bundle(bundle, tmp_path, "forms", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    # The same verdict, on the same forms, as the source tree gives.
    source = subprocess.run(
        [sys.executable, "-m", "kiosk", "forms", "check"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")},
    )
    shipped = len([p for p in (ROOT / "forms").glob("*.yaml") if p.name != "pathways.yaml"])
    assert result.stdout == f"ok: {shipped} forms and 1 pathway files checked\n"
    assert result.stdout == source.stdout


def test_the_bundle_carries_fonts_forms_translations_and_migrations(bundle: Path) -> None:
    internal = bundle / "_internal"

    def same_files(folder: str, pattern: str) -> None:
        shipped = sorted(p.relative_to(ROOT) for p in (ROOT / folder).rglob(pattern))
        assert shipped, f"nothing matches {folder}/{pattern} in the repository"
        for name in shipped:
            bundled = internal / name
            assert bundled.is_file(), f"{name} is missing from the bundle"
            assert bundled.read_bytes() == (ROOT / name).read_bytes(), f"{name} differs"

    same_files("resources/fonts", "*.ttf")  # the kiosk's and the PDFs' typefaces
    same_files("resources/fonts", "LICENSE-*")  # the fonts' licences travel with them
    same_files("resources/theme", "*.qss")
    same_files("forms", "*.yaml")
    same_files("i18n", "*.qm")
    same_files("i18n", "status.toml")
    same_files("kiosk/store/migrations", "*.py")  # the tablet store's schema
    same_files("kiosk/clinic/migrations", "*.py")  # the demo clinic's
    assert not list(internal.glob("i18n/*.ts")), "translators' sources need not ship"


def test_the_bundle_has_the_qt_plugins_the_kiosk_needs_and_not_what_it_never_uses(
    bundle: Path,
) -> None:
    internal = bundle / "_internal"
    [plugins] = [p for p in internal.rglob("plugins") if (p / "platforms").is_dir()]
    platforms = {p.name for p in (plugins / "platforms").iterdir()}
    wanted = ["qoffscreen"]
    if sys.platform.startswith("linux"):
        wanted += ["qxcb", "qwayland"]
    elif sys.platform == "win32":
        wanted += ["qwindows"]
    for plugin in wanted:
        assert any(plugin in name for name in platforms), f"no {plugin} platform plugin"
    assert any((plugins / "texttospeech").iterdir()), "no text-to-speech engine (read-aloud)"
    assert any((plugins / "imageformats").iterdir())
    for unused in ("scipy", "numpy", "hypothesis", "mypy", "pytest"):
        assert not (internal / unused).exists(), f"{unused} is in the bundle"
    size_mb = folder_size(bundle) / 1e6
    assert size_mb < MAX_BUNDLE_MB, f"the bundle is {size_mb:.0f} MB"


def test_the_bundled_kiosk_starts_offscreen_and_exits_cleanly(bundle: Path, demo_run) -> None:
    place, result, before = demo_run
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert DEMO_HINT in result.stderr  # the demo clinic started and the tablet enrolled
    assert "cannot load the font" not in result.stderr  # the bundled fonts were found
    tablet = place / "demo" / "tablet"
    assert (tablet / "tablet.db").is_file()  # its store, built by the bundled migrations
    assert (tablet / "clinic.pub").is_file()
    # It writes nothing into its own folder, which is read-only once installed.
    assert files_in(bundle) == before


def test_the_bundled_kiosk_refuses_a_malformed_tablet_toml_plainly(
    bundle: Path, demo_run, tmp_path: Path
) -> None:
    place, first, _ = demo_run
    assert first.returncode == 0, first.stderr
    shutil.copytree(place / "demo", tmp_path / "demo")
    settings = tmp_path / "demo" / "tablet" / "tablet.toml"
    cases = {
        '[kiosk]\nlink = "walk_in"\n': (
            f"kiosk: {settings}: [kiosk] link must be one of reception, self_check_in, "
            "anonymous, not 'walk_in'"
        ),
        '[kiosk]\npathwya = "cardiology"\n': (
            f"kiosk: {settings}: unknown key 'pathwya' in [kiosk] (known: pathway, link, "
            "idle_seconds, warning_seconds, draft_translations)"
        ),
    }
    for text, message in cases.items():
        settings.write_text(text, encoding="utf-8")
        result = run_bundle(
            bundle, tmp_path, "run", "--demo", str(tmp_path / "demo"), "--quit-after", "3000"
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr, result.stderr
        assert message in result.stderr.splitlines(), result.stderr


def test_the_bundled_kiosk_asks_to_be_enrolled_on_a_fresh_tablet(
    bundle: Path, tmp_path: Path
) -> None:
    result = run_bundle(bundle, tmp_path, "run", "--quit-after", "2000")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert NOT_ENROLLED in result.stderr.splitlines()
