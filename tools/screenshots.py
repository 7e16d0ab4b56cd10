"""Write PNGs of every kiosk screen type to docs/screenshots/.

    python tools/screenshots.py [--out docs/screenshots] [--only NAME ...]

Screens (SCENES): attract (and its reception-mode form), language, self
check-in, "see reception", privacy, each question type, review, thank-you,
timeout warning, PIN pad, staff menu and reception hand-over; each in every
VARIANTS look (normal, high contrast, large text), at 1280x800, as
``<scene>-<variant>.png``. ``make screenshots``
runs this under Xvfb; with no display at all it renders offscreen.

To add a screen, add one ``Scene`` line to SCENES: a name and a function that
takes the window from the attract screen (freshly reset, look already chosen) to
that screen. tests/ui/test_screenshots.py renders scenes with the same code and
compares them with the committed PNGs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A desktop's own scaling would change the PNGs' size; they are 1280x800 pixels.
os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "0")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from kiosk.engine import FormLibrary  # noqa: E402
from kiosk.envelope.keys import ClinicKeyPair  # noqa: E402
from kiosk.store import StaffPin, TabletStore  # noqa: E402
from kiosk.store.clinic_list import Appointment  # noqa: E402
from kiosk.ui.background import Background  # noqa: E402
from kiosk.ui.kiosk_window import KioskWindow  # noqa: E402
from kiosk.ui.language_screen import LanguageScreen  # noqa: E402
from kiosk.ui.linking_screens import (  # noqa: E402
    CheckInScreen,
    FoundScreen,
    HandOverConfirmScreen,
    HandOverScreen,
    SeeReceptionScreen,
    StaffMenu,
)
from kiosk.ui.screens import QuestionScreen, ReviewScreen  # noqa: E402
from kiosk.ui.speech import ENGINE_VARIABLE, MOCK  # noqa: E402

SIZE = (1280, 800)
PATHWAY = "cardiology"


@dataclass(frozen=True)
class Variant:
    name: str
    high_contrast: bool
    text_size: str


VARIANTS = (
    Variant("normal", False, "normal"),
    Variant("high-contrast", True, "normal"),
    Variant("large-text", False, "large"),
)


@dataclass(frozen=True)
class Scene:
    name: str
    show: Callable[[KioskWindow], None]


def settle(window: KioskWindow) -> None:
    """Let background work (the store) finish and its results reach the screen."""
    for _ in range(5):
        window.background.wait()
        QApplication.processEvents()


def to_question(kind: str) -> Callable[[KioskWindow], None]:
    """Answer with each screen's default until the first question of type ``kind``."""

    def show(window: KioskWindow) -> None:
        window.begin()
        settle(window)
        while isinstance(screen := window.currentWidget(), QuestionScreen):
            assert window.flow is not None
            if window.flow.item(screen.step).type == kind:
                return
            window.answer(screen.value())
            settle(window)
        raise LookupError(f"the {PATHWAY} pathway has no {kind} question")

    return show


def to_review(window: KioskWindow) -> None:
    window.begin()
    settle(window)
    while isinstance(screen := window.currentWidget(), QuestionScreen):
        window.answer(screen.value())
        settle(window)
    if not isinstance(window.currentWidget(), ReviewScreen):
        raise LookupError("answering every question did not reach the review screen")


def to_timeout_warning(window: KioskWindow) -> None:
    to_review(window)
    window.warn()


def to_thank_you(window: KioskWindow) -> None:
    to_review(window)
    window.submit()


QUESTION_TYPES = (
    "info",
    "long_text",
    "multi_choice",
    "short_text",
    "yes_no",
    "scale",
    "single_choice",
    "postcode",
    "integer",
)

NOBODY = Appointment(  # made up: no such patient
    "DEMO-2", "10:00", "Heart clinic", "Sample", "Sam", dt.date(1971, 12, 24), "9990000026",
    "DEMO-0002",
)  # fmt: skip


def nothing(*_args: object) -> None:
    return None


def page(build: Callable[[], QWidget]) -> Callable[[KioskWindow], None]:
    """Show a screen the window would show at that point of check-in or hand-over."""
    return lambda window: window._replace_page(build())


def letter_page() -> QWidget:
    screen = CheckInScreen(nothing, nothing)
    screen.pages.setCurrentWidget(screen.letter_page)
    return screen


SCENES = (
    Scene("attract", lambda window: None),
    Scene("attract-reception", lambda window: window.attract.set_waiting(True)),
    Scene("language", page(lambda: LanguageScreen(["en", "cy", "pl", "ro", "pt"], nothing))),
    Scene("check-in", page(lambda: CheckInScreen(nothing, nothing))),
    Scene("check-in-letter", page(letter_page)),
    Scene("appointment-found", page(lambda: FoundScreen(NOBODY, nothing, nothing))),
    Scene("see-reception", page(lambda: SeeReceptionScreen(nothing))),
    Scene("staff-menu", page(lambda: StaffMenu(nothing, nothing, nothing))),
    Scene("hand-over", page(lambda: HandOverScreen(nothing, nothing))),
    Scene(
        "hand-over-confirm",
        page(lambda: HandOverConfirmScreen(NOBODY, "en", nothing, nothing)),
    ),
    Scene("privacy", KioskWindow.show_privacy),
    *(Scene(f"question-{kind}", to_question(kind)) for kind in QUESTION_TYPES),
    Scene("review", to_review),
    Scene("timeout-warning", to_timeout_warning),
    Scene("thank-you", to_thank_you),
    Scene("pin-pad", KioskWindow.show_pin_pad),
)


def scene(name: str) -> Scene:
    for candidate in SCENES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no scene {name!r}; there are {', '.join(s.name for s in SCENES)}")


def variant(name: str) -> Variant:
    for candidate in VARIANTS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no variant {name!r}; there are {', '.join(v.name for v in VARIANTS)}")


@contextmanager
def mock_speech() -> Iterator[None]:
    """Qt's mock speech engine while a window is made (its Speaker reads the choice then).

    The mock ships with PySide6-Addons and always has an English voice, so question
    screens show their Read aloud button on every machine, whether or not a real
    engine (speech-dispatcher) works there; the tests use it too.
    """
    before = os.environ.get(ENGINE_VARIABLE)
    os.environ[ENGINE_VARIABLE] = MOCK
    try:
        yield
    finally:
        if before is None:
            del os.environ[ENGINE_VARIABLE]
        else:
            os.environ[ENGINE_VARIABLE] = before


def make_window(store: TabletStore, library: FormLibrary, background: Background) -> KioskWindow:
    with mock_speech():
        window = KioskWindow(store, library, PATHWAY, {}, background, StaffPin(store))
    window.resize(*SIZE)
    window.show()
    # Offscreen windows are active at once; under Xvfb (no window manager) one has
    # to ask, or the focused button is drawn without its focus style.
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)
    return window


@contextmanager
def kiosk() -> Iterator[KioskWindow]:
    """A shown kiosk window on a throwaway tablet store."""
    QApplication.instance() or QApplication([])
    library = FormLibrary.load(ROOT / "forms")
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder), ClinicKeyPair.generate().public)
        window = make_window(store, library, Background())
        try:
            yield window
        finally:
            window.reset(None)
            settle(window)
            window.close()
            window.deleteLater()
            store.close()


def render(window: KioskWindow, scene: Scene, variant: Variant) -> QImage:
    """One scene in one look, drawn from a fresh start so no scene depends on another."""
    window.reset(None)  # also puts text size and contrast back to the default
    settle(window)
    window.set_text_size(variant.text_size)
    # Through the patient's own toggle, so the privacy screen shows it pressed.
    window.privacy.contrast.setChecked(variant.high_contrast)
    scene.show(window)
    settle(window)
    return window.grab().toImage()


def file_name(scene: Scene, variant: Variant) -> str:
    return f"{scene.name}-{variant.name}.png"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="+", metavar="SCENE", help="render just these scenes")
    args = parser.parse_args()
    chosen = [scene(name) for name in args.only] if args.only else list(SCENES)
    args.out.mkdir(parents=True, exist_ok=True)
    with kiosk() as window:
        for look in VARIANTS:
            for each in chosen:
                path = args.out / file_name(each, look)
                if not render(window, each, look).save(str(path)):
                    raise OSError(f"could not write {path}")
    print(f"{len(chosen) * len(VARIANTS)} screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
