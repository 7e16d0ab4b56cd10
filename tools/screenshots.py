"""Write PNGs of every kiosk screen type to docs/screenshots/.

    python tools/screenshots.py [--out docs/screenshots] [--only NAME ...]

Screens (SCENES): attract (and its reception-mode form), language, self
check-in, "see reception", privacy, each question type, review, thank-you,
timeout warning, PIN pad, staff menu and reception hand-over; each in every
VARIANTS look (normal, high contrast, large text), at 1280x800, as
``<scene>-<variant>.png``. ``make screenshots``
runs this under Xvfb; with no display at all it renders offscreen.

LANGUAGE_SCENES draw the main patient screens (the language choice reopened
part-way, privacy, a scale, a yes/no question, review, thank-you) in Urdu, which
turns the screens round, and in Welsh, in the normal look only, as
``<code>-<scene>-normal.png`` (e.g. ``ur-question-scale-normal.png``).

The staff console's screens (STAFF_SCENES: sign-in, queue, today's whole clinic
list, summary with its chart, triage with a referral, the audit log) are drawn at 1366x768 in the
normal look, against a throwaway clinic service on 127.0.0.1 seeded through the
real tablet path with the demo patients (``staff_demo``).

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
from PySide6.QtWidgets import QApplication, QLabel, QWidget  # noqa: E402

from kiosk.engine import FormLibrary  # noqa: E402
from kiosk.envelope.keys import ClinicKeyPair  # noqa: E402
from kiosk.exchange.clinic_list import Appointment  # noqa: E402
from kiosk.store import StaffPin, TabletStore  # noqa: E402
from kiosk.ui.background import Background  # noqa: E402
from kiosk.ui.enrol_screen import EnrolScreen  # noqa: E402
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
from kiosk.ui.staff.care_view import CareWorkspace  # noqa: E402
from kiosk.ui.staff.console_window import StaffConsoleWindow  # noqa: E402

SIZE = (1280, 800)
STAFF_SIZE = (1366, 768)
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
    variants: tuple[str, ...] | None = None  # the looks it is drawn in (None: every one)


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


def language_choice(window: KioskWindow) -> None:
    """The language screen with every shipped language, marked where a voice can read it."""
    window._replace_page(
        LanguageScreen(
            ["en", "cy", "pl", "ur", "bn", "ar"],
            nothing,
            speaker=window.speaker,
            translations=window.translations,
        )
    )


SCENES = (
    Scene("attract", lambda window: None),
    Scene("attract-reception", lambda window: window.attract.set_waiting(True)),
    Scene("language", language_choice),
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
    Scene("enrol", page(lambda: EnrolScreen(Path("unused"), Background(), "tablet-1"))),
)


def in_language(code: str, then: Callable[[KioskWindow], None]) -> Callable[[KioskWindow], None]:
    """Choose ``code`` (as a patient would on the language screen), then go on as ``then``.

    Every translation is still a draft, so drafts are allowed while the session
    starts; the window's own setting is put back before the screen is drawn."""

    def show(window: KioskWindow) -> None:
        before, window.draft_translations = window.draft_translations, True
        try:
            window.choose_language(code)
            then(window)
        finally:
            window.draft_translations = before

    return show


def to_language_part_way(window: KioskWindow) -> None:
    """The Language button on a question: the choice again, the current language chosen."""
    to_question("scale")(window)
    settle(window)
    window.ask_language()


LANGUAGE_SCENES = tuple(
    Scene(f"{code}-{name}", in_language(code, show), variants=("normal",))
    for code in ("ur", "cy")
    for name, show in (
        ("language", to_language_part_way),
        ("privacy", lambda window: None),
        ("question-scale", to_question("scale")),
        ("question-yes_no", to_question("yes_no")),
        ("review", to_review),
        ("thank-you", to_thank_you),
    )
)


def scene(name: str) -> Scene:
    for candidate in (*SCENES, *LANGUAGE_SCENES):
        if candidate.name == name:
            return candidate
    names = ", ".join(s.name for s in (*SCENES, *LANGUAGE_SCENES))
    raise KeyError(f"no scene {name!r}; there are {names}")


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


# ---------------------------------------------------------------- the staff console
#
# The staff scenes show today's clinic, so their dates and times change from day to
# day: tests/ui/test_screenshots.py compares only the kiosk scenes it lists (SAMPLES),
# never these. Appointment times, names and answers are the fixed demo ones.

STAFF_PASSWORD = "a staff password for the screenshots"
STAFF_USERS = {"clinician": "clinician", "admin": "administrator"}


@dataclass(frozen=True)
class StaffDemo:
    url: str
    certificate: Path
    ids: dict[str, str]  # demo patient key -> submission id


@dataclass(frozen=True)
class StaffScene:
    name: str
    user: str | None  # who is signed in (None: the sign-in screen)
    show: Callable[[StaffConsoleWindow, StaffDemo], None]


@contextmanager
def staff_demo() -> Iterator[StaffDemo]:
    """A clinic service on 127.0.0.1 with the demo patients, sent from an enrolled tablet."""
    from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoTablet, demo_list_csv
    from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
    from kiosk.clinic.tls import CERT_FILE

    passphrase = b"screenshots: a throwaway clinic"
    with tempfile.TemporaryDirectory() as folder:
        clinic = Path(folder) / "clinic"
        init_clinic(clinic, passphrase, ["127.0.0.1"])
        service = open_service(clinic, passphrase, None, [ROOT / "forms"])
        for username, role in STAFF_USERS.items():
            service.staff.add(username, role, STAFF_PASSWORD, "screenshots")
        service.set_clinic_list(dt.date.today(), demo_list_csv(), "screenshots")
        running = serve_in_thread(service, clinic)
        library = FormLibrary.load(ROOT / "forms")
        tablet = DemoTablet.enrol(
            running.url, service.issue_code("screenshots"), Path(folder) / "tablet", library
        )
        try:
            ids = tablet.send(DEMO_PATIENTS)
            yield StaffDemo(running.url, clinic / CERT_FILE, ids)
        finally:
            tablet.close()
            running.stop()
            service.engine.dispose()


def settle_staff(window: StaffConsoleWindow, until: Callable[[], bool] = lambda: True) -> None:
    """Let the console's calls to the clinic come back and their results be laid out."""
    for _ in range(200):
        window.background.wait()
        QApplication.processEvents()
        if until() and not window.background.busy:
            break
    for _ in range(5):
        QApplication.processEvents()


def _care(window: StaffConsoleWindow) -> CareWorkspace:
    assert isinstance(window.workspace, CareWorkspace)
    return window.workspace


def _open(window: StaffConsoleWindow, demo: StaffDemo, key: str) -> None:
    workspace = _care(window)
    workspace.open(demo.ids[key])
    page = workspace.patient
    assert page is not None
    settle_staff(window, lambda: page.summary.summary is not None)


def staff_queue(window: StaffConsoleWindow, demo: StaffDemo) -> None:
    queue = _care(window).queue
    queue.select(demo.ids["urgent"])
    queue.updated.clear()  # "Updated 09:41" would change with every run


def staff_today(window: StaffConsoleWindow, demo: StaffDemo) -> None:
    workspace = _care(window)
    workspace.show_today()
    settle_staff(window, lambda: workspace.today.model.rowCount() > 0)
    workspace.today.updated.clear()  # the time would change with every run


def staff_summary(window: StaffConsoleWindow, demo: StaffDemo) -> None:
    """The pain patient's follow-up, scrolled to the change since their first visit."""
    from PySide6.QtCore import QPoint

    _open(window, demo, "pain_followup")
    page = _care(window).patient
    assert page is not None and page.summary.chart is not None
    settle_staff(window)
    heading = next(label for label in page.summary.body.findChildren(QLabel)
                   if label.text() == "Change since the first visit")  # fmt: skip
    top = heading.mapTo(page.summary.body, QPoint(0, 0)).y()
    page.summary.verticalScrollBar().setValue(top)


def staff_triage(window: StaffConsoleWindow, demo: StaffDemo) -> None:
    _open(window, demo, "urgent")
    page = _care(window).patient
    assert page is not None
    triage, referrals = page.triage, page.referrals
    triage.status.setCurrentIndex(triage.status.findData("in_review"))
    triage.assign_me.click()
    triage.notes.setPlainText("Spoke to the patient privately. Safeguarding lead informed.")
    triage.save()
    referrals.kind.setCurrentIndex(referrals.kind.findData("food_bank"))
    referrals.add_notes.setText("Town centre food bank, Tuesday")
    referrals.add()
    settle_staff(window, lambda: referrals.model.rowCount() == 1)
    referrals.table.selectRow(0)
    referrals.outcome.setCurrentIndex(referrals.outcome.findData("accepted"))
    referrals.save_outcome()
    settle_staff(window, lambda: referrals.message.text() == "Outcome saved.")


def staff_audit(window: StaffConsoleWindow, demo: StaffDemo) -> None:
    from kiosk.ui.staff.admin_view import AdminView

    admin = window.workspace
    assert isinstance(admin, AdminView)
    admin.show_audit(target=demo.ids["urgent"])
    settle_staff(window, lambda: admin.audit.rowCount() > 0)


STAFF_SCENES = (
    StaffScene("staff-sign-in", None, lambda window, demo: None),
    StaffScene("staff-queue", "clinician", staff_queue),
    StaffScene("staff-today", "clinician", staff_today),
    StaffScene("staff-summary", "clinician", staff_summary),
    StaffScene("staff-triage", "clinician", staff_triage),
    StaffScene("staff-admin", "admin", staff_audit),
)


def staff_scene(name: str) -> StaffScene:
    for candidate in STAFF_SCENES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no staff scene {name!r}; there are {', '.join(s.name for s in STAFF_SCENES)}")


def render_staff(demo: StaffDemo, scene: StaffScene) -> QImage:
    """One staff scene in a fresh console window (its own client and sign-in)."""
    from kiosk.console.client import StaffClient

    QApplication.instance() or QApplication([])
    with StaffClient(demo.url, certificate=demo.certificate) as client:
        window = StaffConsoleWindow(client, Background(), lock_after_s=3600)
        window.resize(*STAFF_SIZE)
        window.show()
        window.activateWindow()
        QTest.qWaitForWindowActive(window, 5000)
        try:
            if scene.user is not None:
                page = window.sign_in_page
                page.username.setText(scene.user)
                page.password.setText(STAFF_PASSWORD)
                page.button.click()
                settle_staff(window, lambda: window.workspace is not None)
                if isinstance(window.workspace, CareWorkspace):
                    model = window.workspace.queue.model
                    settle_staff(window, lambda: model.rowCount() > 0)
            else:
                window.sign_in_page.username.setText("clinician")
                window.sign_in_page.ask()  # the cursor in the password box
            scene.show(window, demo)
            settle_staff(window)
            return window.grab().toImage()
        finally:
            window.close()
            window.background.wait()
            window.deleteLater()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="+", metavar="SCENE", help="render just these scenes")
    args = parser.parse_args()
    staff_names = {s.name for s in STAFF_SCENES}
    if args.only:
        chosen = [scene(name) for name in args.only if name not in staff_names]
        chosen_staff = [staff_scene(name) for name in args.only if name in staff_names]
    else:
        chosen, chosen_staff = [*SCENES, *LANGUAGE_SCENES], list(STAFF_SCENES)
    args.out.mkdir(parents=True, exist_ok=True)
    written = len(chosen_staff)
    if chosen:
        with kiosk() as window:
            for look in VARIANTS:
                for each in chosen:
                    if each.variants is not None and look.name not in each.variants:
                        continue
                    path = args.out / file_name(each, look)
                    if not render(window, each, look).save(str(path)):
                        raise OSError(f"could not write {path}")
                    written += 1
    if chosen_staff:
        with staff_demo() as demo:
            for each in chosen_staff:
                path = args.out / f"{each.name}-normal.png"
                if not render_staff(demo, each).save(str(path)):
                    raise OSError(f"could not write {path}")
    print(f"{written} screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
