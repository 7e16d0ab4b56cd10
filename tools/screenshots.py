"""Write PNGs of every kiosk screen type to docs/screenshots/.

    python tools/screenshots.py [--out docs/screenshots]

Screens: attract, privacy, each question type, review, thank-you, timeout
warning, PIN pad; in the normal and high-contrast themes and at large text;
at 1280x800. Runs under Xvfb when a display is there, else offscreen.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.engine import FormLibrary  # noqa: E402
from kiosk.envelope.keys import ClinicKeyPair  # noqa: E402
from kiosk.store import StaffPin, TabletStore  # noqa: E402
from kiosk.ui.background import Background  # noqa: E402
from kiosk.ui.kiosk_window import KioskWindow  # noqa: E402
from kiosk.ui.screens import QuestionScreen, ReviewScreen  # noqa: E402

VARIANTS = {
    "normal": (False, "normal"),
    "high-contrast": (True, "normal"),
    "large-text": (False, "large"),
}
TYPES_WANTED = {
    "info",
    "long_text",
    "multi_choice",
    "short_text",
    "yes_no",
    "scale",
    "single_choice",
    "postcode",
    "integer",
}


def settle(app: QApplication, background: Background) -> None:
    for _ in range(5):
        background.wait()
        app.processEvents()


def shoot(window: KioskWindow, out: Path, name: str) -> None:
    window.grab().save(str(out / f"{name}.png"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    library = FormLibrary.load(ROOT / "forms")
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder), ClinicKeyPair.generate().public)
        background = Background()
        window = KioskWindow(store, library, "cardiology", {}, background, StaffPin(store))
        window.resize(1280, 800)
        window.show()
        for variant, (contrast, size) in VARIANTS.items():
            window.set_text_size(size)
            window.set_high_contrast(contrast)
            settle(app, background)
            shoot(window, args.out, f"attract-{variant}")
            window.show_privacy()
            shoot(window, args.out, f"privacy-{variant}")
            window.begin()
            settle(app, background)
            seen: set[str] = set()
            while isinstance(window.currentWidget(), QuestionScreen):
                screen = window.currentWidget()
                kind = window.flow.item(screen.step).type  # type: ignore[union-attr]
                if kind in TYPES_WANTED and kind not in seen:
                    seen.add(kind)
                    shoot(window, args.out, f"question-{kind}-{variant}")
                window.answer(screen.value())
                settle(app, background)
            if isinstance(window.currentWidget(), ReviewScreen):
                shoot(window, args.out, f"review-{variant}")
            window.warn()
            shoot(window, args.out, f"timeout-warning-{variant}")
            window.still_here()
            window.submit()
            settle(app, background)
            shoot(window, args.out, f"thank-you-{variant}")
            window.reset(None)
            window.show_pin_pad()
            shoot(window, args.out, f"pin-pad-{variant}")
            window.reset(None)
        settle(app, background)
        store.close()
    print(f"screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
