"""Run a Qt benchmark's measurement in a Python process of its own and read its result.

A fresh process keeps the runner (and other metrics' memory) out of the figures, and
keeps Qt out of the runner: the installed PySide6 (6.12.0) corrupts Python reference
counts over many event-loop calls and can abort at interpreter exit, so the child
prints its result and leaves with os._exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_NOISE = "This plugin does not support propagateSizeHints()"


def measure_in_child(module: str, call: str, name: str, timeout: float = 600) -> dict[str, Any]:
    """``call`` (an expression using ``module``, e.g. ``"IN_PROCESS['x']()"``) evaluated
    in a child process with Qt offscreen; its dict result, or RuntimeError naming
    ``name`` with the child's errors."""
    script = (
        "import json, os\n"
        f"from benchmarks import {module}\n"
        f"result = {module}.{call}\n"
        "print('RESULT ' + json.dumps(result), flush=True)\n"
        "os._exit(0)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    errors = "\n".join(x for x in done.stderr.splitlines() if x != _NOISE)
    raise RuntimeError(f"{name} failed in its child process (rc {done.returncode}):\n{errors}")
