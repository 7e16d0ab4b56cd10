"""The first-run enrolment screen against a real clinic service over HTTPS on 127.0.0.1:
a right code enrols; a wrong, expired or misused code, an unreachable clinic and a
bad address or empty code are each explained in plain words beside the field, with
nothing saved on the tablet."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from kiosk.clinic.models import Device
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.sync.config import CERTIFICATE_FILE, CLINIC_FILE, read_clinic_record
from kiosk.ui.background import Background
from kiosk.ui.enrol_screen import EnrolScreen
from kiosk.ui.theme import apply_theme

sys.path.insert(0, str(Path(__file__).parent))  # test_layout.py, beside this file
from test_layout import clipped

pytestmark = [pytest.mark.ui, pytest.mark.release]
FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"
ENROLLING_MS = 30_000  # key generation, TLS and the clinic's forms: well under this


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ClinicService, str]]:
    """A real clinic service on 127.0.0.1 (one for the module: each test enrols a new tablet)."""
    folder = tmp_path_factory.mktemp("clinic")
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, f"sqlite:///{folder / 'clinic.db'}", [FORMS])
    running: RunningServer = serve_in_thread(service, folder)
    yield service, running.url
    running.stop()
    service.engine.dispose()


@pytest.fixture
def screen(qtbot: Any, tmp_path: Path) -> Iterator[EnrolScreen]:
    made = EnrolScreen(tmp_path / "tablet", Background(), host_name="waiting-room-tablet")
    qtbot.addWidget(made)
    apply_theme(made)
    made.resize(1280, 800)
    made.show()
    yield made
    made.background.wait()


def fill(qtbot: Any, screen: EnrolScreen, url: str, code: str, name: str = "") -> None:
    """Type into the fields with the real keyboard, as IT would."""
    for field, text in ((screen.address, url), (screen.code, code), (screen.name, name)):
        field.clear()
        qtbot.keyClicks(field, text)


def enrol_and_wait(qtbot: Any, screen: EnrolScreen) -> None:
    qtbot.mouseClick(screen.enrol_button, Qt.MouseButton.LeftButton)
    # The work is on the background helper: the click returns at once, the screen says
    # what it is doing, and the button cannot be pressed twice.
    assert screen.background.busy
    assert not screen.enrol_button.isEnabled()
    assert screen.status.text() == "Contacting the clinic…"
    qtbot.waitUntil(lambda: not screen.background.busy, timeout=ENROLLING_MS)


def nothing_saved(data_dir: Path) -> bool:
    return not any(
        (data_dir / name).exists() for name in (CLINIC_FILE, CERTIFICATE_FILE, "device.key")
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_right_code_enrols_the_tablet(qtbot: Any, screen: EnrolScreen, clinic: Any) -> None:
    service, url = clinic
    fill(qtbot, screen, url, service.issue_code("admin"))
    with qtbot.waitSignal(screen.enrolled, timeout=ENROLLING_MS) as signal:
        enrol_and_wait(qtbot, screen)
    [enrolment] = signal.args
    record = read_clinic_record(screen.data_dir)
    assert record is not None and record.url == url == enrolment.url
    assert record.certificate_fingerprint == service.fingerprint
    assert (screen.data_dir / CERTIFICATE_FILE).is_file()
    assert screen.status.text().startswith(f"This tablet is now enrolled with the clinic at {url}")
    assert not any(label.text() for label in (screen.address_problem, screen.problem))
    assert screen.start_button.isVisible() and not screen.enrol_button.isVisible()
    with service.transaction() as db:  # the name left empty: the host name
        assert db.get(Device, record.device_id).name == "waiting-room-tablet"
    with qtbot.waitSignal(screen.start_kiosk):
        qtbot.mouseClick(screen.start_button, Qt.MouseButton.LeftButton)


def test_return_in_a_field_enrols_and_the_name_is_kept(
    qtbot: Any, screen: EnrolScreen, clinic: Any
) -> None:
    service, url = clinic
    fill(qtbot, screen, url, service.issue_code("admin"), "Heart clinic tablet 2")
    qtbot.keyClick(screen.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.result is not None, timeout=ENROLLING_MS)
    with service.transaction() as db:
        names = set(db.scalars(select(Device.name)))
    assert "Heart clinic tablet 2" in names


def test_an_unknown_code_is_explained_beside_the_field(
    qtbot: Any, screen: EnrolScreen, clinic: Any
) -> None:
    _, url = clinic
    fill(qtbot, screen, url, "ZZZZ-ZZZZZZZZZZZZ")
    enrol_and_wait(qtbot, screen)
    assert screen.code_problem.text() == (
        "The clinic does not know this enrolment code. Check it, or ask for a new one."
    )
    assert screen.code_problem.property("problem") is True
    assert nothing_saved(screen.data_dir)
    assert screen.result is None and screen.enrol_button.isEnabled()


def test_an_expired_code_says_so(qtbot: Any, screen: EnrolScreen, clinic: Any) -> None:
    service, url = clinic
    fill(qtbot, screen, url, service.issue_code("admin", ttl_s=-1))
    enrol_and_wait(qtbot, screen)
    assert screen.code_problem.text() == (
        "This enrolment code has expired (codes last 15 minutes). Ask for a new one."
    )
    assert nothing_saved(screen.data_dir)


def test_a_used_code_says_so(qtbot: Any, screen: EnrolScreen, clinic: Any, tmp_path: Path) -> None:
    from kiosk.sync.enrol import enrol

    service, url = clinic
    code = service.issue_code("admin")
    enrol(url, code, tmp_path / "another tablet", "Another tablet")
    fill(qtbot, screen, url, code)
    enrol_and_wait(qtbot, screen)
    assert "already been used" in screen.code_problem.text()
    assert nothing_saved(screen.data_dir)


def test_an_unreachable_clinic_is_plain_and_enrolment_can_be_tried_again(
    qtbot: Any, screen: EnrolScreen, clinic: Any
) -> None:
    service, url = clinic
    port = closed_port()
    fill(qtbot, screen, f"https://127.0.0.1:{port}", service.issue_code("admin"))
    enrol_and_wait(qtbot, screen)
    assert screen.address_problem.text() == (
        f"Cannot reach the clinic at 127.0.0.1:{port}. Check the address and that this "
        "tablet is on the clinic's network."
    )
    assert "Traceback" not in screen.address_problem.text()
    assert nothing_saved(screen.data_dir)
    assert screen.enrol_button.isEnabled() and not screen.address.isReadOnly()
    # The address corrected, the same code works: nothing was left behind.
    screen.address.setText(url)
    enrol_and_wait(qtbot, screen)
    assert screen.result is not None and screen.address_problem.text() == ""


def test_a_code_proved_for_another_certificate_warns_of_interception(
    qtbot: Any, screen: EnrolScreen, clinic: Any
) -> None:
    """The clinic refuses a proof that does not match its own certificate and code
    (``wrong_proof``): what an intercepting proxy causes, here caused by the secret."""
    service, url = clinic
    code_id, secret = service.issue_code("admin").split("-")
    fill(qtbot, screen, url, f"{code_id}-{secret[::-1]}Q")
    enrol_and_wait(qtbot, screen)
    assert "intercepting the connection" in screen.code_problem.text()
    assert "ask IT" in screen.code_problem.text()
    assert nothing_saved(screen.data_dir)


@pytest.mark.parametrize(
    ("address", "code", "field", "words"),
    [
        ("clinic.example:8443", "K7QF-3MZX8TPLW2H9", "address", "must start with https://"),
        ("http://127.0.0.1:8443", "K7QF-3MZX8TPLW2H9", "address", "must start with https://"),
        ("", "K7QF-3MZX8TPLW2H9", "address", "Type the clinic's address"),
        ("https://127.0.0.1:8443", "", "code", "Type the enrolment code"),
        ("https://127.0.0.1:8443", "K7QF 3MZX", "code", "That is not an enrolment code"),
    ],
)
def test_a_bad_address_or_code_is_refused_before_any_network_call(
    qtbot: Any, screen: EnrolScreen, address: str, code: str, field: str, words: str
) -> None:
    fill(qtbot, screen, address, code)
    qtbot.mouseClick(screen.enrol_button, Qt.MouseButton.LeftButton)
    problem = {"address": screen.address_problem, "code": screen.code_problem}[field]
    assert words in problem.text()  # at once: nothing was sent anywhere
    assert not screen.background.busy
    assert not screen.data_dir.exists()  # enrolment opens the store there; it never began
    assert screen.focusWidget() is {"address": screen.address, "code": screen.code}[field]


def test_the_on_screen_keyboard_types_into_the_chosen_field(
    qtbot: Any, screen: EnrolScreen
) -> None:
    screen.activateWindow()
    qtbot.mouseClick(screen.address, Qt.MouseButton.LeftButton)
    for key in ("h", "s"):
        qtbot.mouseClick(screen.keyboard.keys[key], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.findChild(object, "key_extra_0"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.findChild(object, "key_extra_1"), Qt.MouseButton.LeftButton)
    screen.code.setFocus()
    qtbot.waitUntil(lambda: screen.keyboard.editor is screen.code)
    qtbot.mouseClick(screen.keyboard.keys["k"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.findChild(object, "key_extra_2"), Qt.MouseButton.LeftButton)
    assert screen.address.text() == "hs:/"
    assert screen.code.text() == "k-"


def test_fields_have_accessible_names(screen: EnrolScreen) -> None:
    names = [field.accessibleName() for field in screen.fields]
    assert names == ["Clinic address", "Enrolment code", "Tablet name"]
    problems = [
        label.accessibleName()
        for label in (screen.address_problem, screen.code_problem, screen.name_problem)
    ]
    assert problems == [
        "Problem with the clinic address",
        "Problem with the enrolment code",
        "Problem with the tablet name",
    ]


@pytest.mark.parametrize(("contrast", "size"), [(False, "normal"), (True, "extra_large")])
def test_nothing_is_clipped_at_1280x800(
    qtbot: Any, screen: EnrolScreen, contrast: bool, size: str
) -> None:
    apply_theme(screen, high_contrast=contrast, text_size=size)
    qtbot.mouseClick(screen.enrol_button, Qt.MouseButton.LeftButton)  # a problem shown too
    qtbot.wait(1)
    assert screen.address_problem.text()
    assert not clipped(screen), clipped(screen)


def test_kiosk_run_enrols_first_then_starts_the_kiosk_with_sync(
    qtbot: Any, qapp: Any, clinic: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``kiosk run`` on a tablet that is not enrolled: the enrolment screen, then the
    kiosk itself, syncing with the clinic as a tablet enrolled on the command line does."""
    import argparse

    from PySide6.QtCore import QTimer

    from kiosk.cli.run import run_kiosk
    from kiosk.ui.kiosk_window import KioskWindow

    service, url = clinic
    code = service.issue_code("admin")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "site"))
    data_dir = tmp_path / "tablet"
    seen: dict[str, Any] = {}

    def shown(kind: type) -> Any:
        visible = (w for w in qapp.topLevelWidgets() if isinstance(w, kind) and w.isVisible())
        return next(visible, None)

    def step() -> None:  # plays the member of staff, then watches the kiosk start
        screen, window = shown(EnrolScreen), shown(KioskWindow)
        if screen is not None and screen.result is None and screen.enrol_button.isEnabled():
            screen.address.setText(url)
            screen.code.setText(code)
            screen.enrol_button.click()
        elif screen is not None and screen.result is not None:
            seen["enrolled"] = True
            screen.start_button.click()
        elif window is not None:
            seen["kiosk"] = window.currentWidget() is window.attract and window.enrolled
            with service.transaction() as db:
                device = db.scalars(select(Device)).all()
                if any(d.last_seen_at for d in device if d.name == "after-run"):
                    seen["synced"] = True
                    qapp.exit(0)
                    return
        timer.start()

    monkeypatch.setattr(socket, "gethostname", lambda: "after-run")
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setInterval(50)
    timer.timeout.connect(step)
    timer.start()
    stuck = QTimer()  # a stuck test ends, failing
    stuck.setSingleShot(True)
    stuck.timeout.connect(lambda: qapp.exit(1))
    stuck.start(ENROLLING_MS)
    args = argparse.Namespace(
        data_dir=data_dir, pathway=None, demo=None, windowed=True, quit_after=None
    )
    try:
        assert run_kiosk(args) == 0
    finally:
        timer.stop()
        stuck.stop()
    assert seen == {"enrolled": True, "kiosk": True, "synced": True}
    assert read_clinic_record(data_dir) is not None
