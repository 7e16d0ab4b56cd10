"""An installed wheel (how the clinic server is installed) carries the forms,
fonts, themes and translations, and finds them outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = [pytest.mark.release, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    return done.stdout


def test_an_installed_wheel_finds_its_forms_fonts_and_translations(tmp_path: Path) -> None:
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        ROOT,
    )
    (wheel,) = tmp_path.glob("what_matters_kiosk-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    # The new environment borrows the test environment's dependencies (not its
    # kiosk package: .pth files in a borrowed folder are not read).
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
        ).strip()
    )
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        tmp_path,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    where = run(
        [
            str(python),
            "-c",
            "import kiosk, kiosk.site.paths as p, kiosk.reports.fonts as f;"
            "import kiosk.ui.translations as t;"
            "print(kiosk.__file__); print(p.shipped_forms_dir()); print(f.FONT_DIR);"
            "print(t.DEFAULT_FOLDER); print(p.installed('resources'))",
        ],
        tmp_path,
        env,
    ).split()
    package, forms, fonts, i18n, resources = (Path(line) for line in where)
    assert package.is_relative_to(venv), "the wheel's package, not the source tree's"
    share = venv / "share" / "what-matters-kiosk"
    assert (forms, fonts, i18n, resources) == (
        share / "forms",
        share / "resources" / "fonts",
        share / "i18n",
        share / "resources",
    )
    assert {p.name for p in forms.glob("*.yaml")} == {
        p.name for p in (ROOT / "forms").glob("*.yaml")
    }
    assert (fonts / "NotoSans-Regular.ttf").read_bytes() == (
        ROOT / "resources" / "fonts" / "NotoSans-Regular.ttf"
    ).read_bytes()
    assert (resources / "theme" / "kiosk.qss").is_file()
    assert {p.name for p in i18n.glob("*.qm")} == {p.name for p in (ROOT / "i18n").glob("*.qm")}
    checked = run([str(venv / "bin" / "kiosk"), "forms", "check"], tmp_path, env)
    assert "ok: 7 forms and 1 pathway files checked" in checked
    # A PDF drawn by the installed package uses the installed fonts.
    pdf = run(
        [
            str(python),
            "-c",
            "from kiosk.reports.fonts import register_fonts; register_fonts(); print('fonts ok')",
        ],
        tmp_path,
        env,
    )
    assert "fonts ok" in pdf
