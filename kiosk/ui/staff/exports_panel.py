"""Exports and reports, for administrators: the anonymised CSV with its dictionary and
the appointment counts, a FHIR bundle, and the board report (docs/exports.md).

The clinic makes every file and audits it with the stated purpose; the console only
streams each one into the chosen folder through :class:`~kiosk.console.client.StaffClient`,
in the background. A file is written whole or not at all, and the anonymised set is
renamed into place only once all three of its files have arrived, so a failure leaves
nothing behind (:mod:`kiosk.console.export_staging`). ``export_*(…)`` and
``set_folder(path)`` work without a dialog (the tests use them); ``confirm`` asks
before an identified FHIR export and can be replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.export_staging import (
    PROJECT_NAME,
    Written,
    deliver_one,
    export_anonymised_set,
)
from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session


def ask_in_dialog(parent: QWidget, title: str, text: str) -> bool:
    """Yes or Cancel (the default); ``text`` is shown as typed, never as formatting."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def _label(text: str, name: str = "hint") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    return button


def _month(name: str, date: QDate) -> QDateEdit:
    edit = QDateEdit(date)
    edit.setDisplayFormat("MMM yyyy")
    edit.setAccessibleName(name)
    return edit


def sentence(text: str) -> str:
    """The clinic's refusals are lower-case phrases; staff read sentences."""
    text = text.strip()
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if not text or text[-1] in ".!?" else text + "."


class ExportsPanel(QWidget):
    """``exported(files)`` once files are written (their names), ``failed(message)``."""

    exported = Signal(list)
    failed = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.folder: Path | None = None
        self.busy = False
        # Asks before an identified FHIR export: (title, text) -> yes. Tests replace it.
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask_in_dialog(
            self, title, text
        )
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                self.tr(
                    "Exports are made by the clinic service and written to its audit log "
                    "with your name and the purpose you give."
                )
            )
        )
        layout.addLayout(self._common())
        groups = QHBoxLayout()
        groups.addWidget(self._anonymised_group(), 1)
        groups.addWidget(self._fhir_group(), 1)
        groups.addWidget(self._report_group(), 1)
        layout.addLayout(groups)
        self.message = _label("", "message")
        self.message.setAccessibleName(self.tr("Export result"))
        layout.addWidget(self.message)
        layout.addStretch(1)

    # ------------------------------------------------------------ building
    def _common(self) -> QFormLayout:
        form = QFormLayout()
        self.project = QLineEdit()
        self.project.setMaxLength(64)
        self.project.setAccessibleName(self.tr("Project name"))
        self.project.setPlaceholderText(self.tr("for example wellbeing-2026"))
        self.purpose = QLineEdit()
        self.purpose.setMaxLength(400)
        self.purpose.setAccessibleName(self.tr("Purpose of the export (required)"))
        self.purpose.setPlaceholderText(self.tr("Why is this data being exported?"))
        self.folder_field = QLineEdit()
        self.folder_field.setReadOnly(True)
        self.folder_field.setAccessibleName(self.tr("Folder for the files"))
        self.folder_field.setPlaceholderText(self.tr("No folder chosen yet"))
        self.folder_button = _button(self.tr("Choose &folder…"), self.tr("Choose a folder"))
        self.folder_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_field, 1)
        folder_row.addWidget(self.folder_button)
        project_label = QLabel(self.tr("Pro&ject"))
        project_label.setBuddy(self.project)
        purpose_label = QLabel(self.tr("Pu&rpose (required)"))
        purpose_label.setBuddy(self.purpose)
        project_row = QHBoxLayout()
        project_row.addWidget(self.project, 1)
        project_row.addWidget(_label(self.tr("Pseudonyms stay the same within a project.")), 1)
        form.addRow(project_label, project_row)
        form.addRow(purpose_label, self.purpose)
        form.addRow(self.tr("Folder"), folder_row)
        return form

    def _anonymised_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Anonymised data"))
        layout = QVBoxLayout(group)
        layout.addWidget(
            _label(self.tr("One row per submission, its data dictionary and appointment counts."))
        )
        self.free_text = QCheckBox(self.tr("&Include free text (scrubbed)"))
        self.free_text.setAccessibleName(self.tr("Include free text, scrubbed"))
        self.shift_dates = QCheckBox(self.tr("S&hift dates per patient"))
        self.shift_dates.setAccessibleName(self.tr("Shift dates per patient"))
        self.free_text_warning = _label(
            self.tr(
                "Warning: free text is scrubbed of NHS numbers, phone numbers, email addresses "
                "and postcodes, but what people write can still identify them. Read it before "
                "sharing it."
            ),
            "message",
        )
        self.free_text_warning.setVisible(False)
        self.free_text.toggled.connect(self.free_text_warning.setVisible)
        self.anonymised_button = _button(
            self.tr("Export a&nonymised data"), self.tr("Export anonymised data")
        )
        self.anonymised_button.setObjectName("primary")
        self.anonymised_button.clicked.connect(self.export_anonymised)
        for widget in (self.free_text, self.free_text_warning, self.shift_dates):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.anonymised_button)
        return group

    def _fhir_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("FHIR bundle"))
        layout = QVBoxLayout(group)
        layout.addWidget(_label(self.tr("Questionnaires and answers as a FHIR R4 bundle.")))
        self.identified = QCheckBox(self.tr("I&dentified (for a clinical system)"))
        self.identified.setAccessibleName(self.tr("Identified, for a clinical system"))
        layout.addWidget(self.identified)
        layout.addStretch(1)
        self.fhir_button = _button(self.tr("Export FHIR &bundle"), self.tr("Export FHIR bundle"))
        self.fhir_button.clicked.connect(self.export_fhir)
        layout.addWidget(self.fhir_button)
        return group

    def _report_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Board report"))
        layout = QVBoxLayout(group)
        layout.addWidget(
            _label(self.tr("Reach, equity and outcomes, small numbers hidden; needs no purpose."))
        )
        form = QFormLayout()
        this_month = QDate.currentDate().addDays(1 - QDate.currentDate().day())
        self.first_month = _month(self.tr("First month"), this_month.addMonths(-11))
        self.last_month = _month(self.tr("Last month"), this_month)
        self.clinic = QLineEdit()
        self.clinic.setAccessibleName(self.tr("Clinic, or empty for all clinics"))
        self.clinic.setPlaceholderText(self.tr("all clinics"))
        for text, widget in (
            (self.tr("Fir&st month"), self.first_month),
            (self.tr("&Last month"), self.last_month),
            (self.tr("&Clinic"), self.clinic),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout.addLayout(form)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.pdf_button = _button(self.tr("Report as &PDF"), self.tr("Board report as PDF"))
        self.csv_button = _button(self.tr("Report as CS&V"), self.tr("Board report as CSV"))
        self.pdf_button.clicked.connect(lambda: self.export_report("pdf"))
        self.csv_button.clicked.connect(lambda: self.export_report("csv"))
        row.addWidget(self.pdf_button)
        row.addWidget(self.csv_button)
        layout.addLayout(row)
        return group

    @property
    def buttons(self) -> Sequence[QPushButton]:
        return (
            self.folder_button,
            self.anonymised_button,
            self.fhir_button,
            self.pdf_button,
            self.csv_button,
        )

    # ------------------------------------------------------------ the folder
    def choose_folder(self) -> None:
        start = str(self.folder or Path.home())
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder for the exports"), start)
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        self.folder = folder
        self.folder_field.setText(str(folder))

    # ------------------------------------------------------------ exporting
    def _ready(self, *, purpose: bool = True) -> tuple[str, str, Path] | None:
        """The project, purpose and folder, or None after saying what is missing."""
        project, reason = self.project.text().strip(), self.purpose.text().strip()
        problem = ""
        if not PROJECT_NAME.fullmatch(project):
            problem = self.tr(
                "Enter a project name: 1 to 64 letters, digits, dots, hyphens or underscores, "
                "starting with a letter or digit."
            )
        elif purpose and not reason:
            problem = self.tr("Say why this data is being exported.")
        elif self.folder is None or not self.folder.is_dir():
            problem = self.tr("Choose a folder for the files first.")
        if problem or self.folder is None:
            say(self.message, problem)
            return None
        return project, reason, self.folder

    def export_anonymised(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        project, purpose, folder = ready
        client = self.session.client
        free_text, shift = self.free_text.isChecked(), self.shift_dates.isChecked()
        self._run(
            folder,
            lambda: export_anonymised_set(
                client, folder, project, purpose, free_text=free_text, shift_dates=shift
            ),
        )

    def export_fhir(self) -> None:
        ready = self._ready()
        if ready is None:
            return
        project, purpose, folder = ready
        identified = self.identified.isChecked()
        if identified and not self.confirm(
            self.tr("Export identified data?"),
            self.tr(
                "This FHIR bundle will contain NHS numbers, for a clinical system. The export "
                "is written to the audit log with your name and this purpose: “%1”. Keep the "
                "file as safely as the patient record. Export it?"
            ).replace("%1", purpose),
        ):
            say(self.message, self.tr("Nothing was exported."), problem=False)
            return
        name = f"{project}-fhir{'-identified' if identified else ''}.json"
        client = self.session.client
        self._run(
            folder,
            lambda: deliver_one(
                name,
                lambda: client.export_fhir(folder / name, project, purpose, identified=identified),
            ),
        )

    def export_report(self, kind: str) -> None:
        ready = self._ready(purpose=False)
        if ready is None:
            return
        project, _purpose, folder = ready
        first = self.first_month.date().toString("yyyy-MM")
        last = self.last_month.date().toString("yyyy-MM")
        if first > last:
            say(self.message, self.tr("The first month must not be after the last month."))
            return
        clinic = self.clinic.text().strip() or None
        name = f"{project}-report-{first}-{last}.{kind}"
        client = self.session.client
        self._run(
            folder,
            lambda: deliver_one(
                name,
                lambda: client.board_report(
                    folder / name, project, first, last, clinic=clinic, kind=kind
                ),
            ),
        )

    def _run(self, folder: Path, work: Callable[[], Written]) -> None:
        self._set_busy(True)
        say(
            self.message,
            self.tr("Exporting… this can take a few minutes for a large clinic."),
            problem=False,
        )

        def done(written: Written) -> None:
            self._set_busy(False)
            files = ", ".join(
                self.tr("%1 (%2)").replace("%1", name).replace("%2", self._size(size))
                for name, size in written
            )
            say(
                self.message,
                self.tr("Saved in %1: %2.").replace("%1", str(folder)).replace("%2", files),
                problem=False,
            )
            self.exported.emit([name for name, _size in written])

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            message = self._why(exc, folder)
            say(self.message, message)
            self.failed.emit(message)

        self.session.run(self, work, done, failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in self.buttons:
            button.setEnabled(not busy)

    def _size(self, size: int) -> str:
        return QLocale().formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)

    def _why(self, exc: BaseException, folder: Path) -> str:
        if isinstance(exc, OSError):
            return (
                self.tr("Could not write the files in %1: %2")
                .replace("%1", str(folder))
                .replace("%2", exc.strerror or str(exc))
            )
        return sentence(words.problem(exc))

    def forget(self) -> None:
        """Clear the purpose and the last result (the session is ending)."""
        self.purpose.clear()
        say(self.message, "")
