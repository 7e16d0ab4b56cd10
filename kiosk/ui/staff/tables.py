"""A read-only table of words, and a view that shows it whole.

The smaller tables (change from baseline, earlier visits, referrals, users,
tablets, the audit log) are rows of text with a key per row; each names its
columns where it is made. The queue and today's whole clinic list are rows of
patients (:class:`PatientRowsModel`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView

from kiosk.ui.staff import words

Index = QModelIndex | QPersistentModelIndex


class TextTableModel(QAbstractTableModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[str]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[list[str]] = []
        self.keys: list[Any] = []
        self.bold_rows: set[int] = set()

    def set_rows(self, rows: Sequence[Sequence[str]], keys: Sequence[Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = [[str(cell) for cell in row] for row in rows]
        self.keys = list(keys) if keys is not None else list(range(len(rows)))
        self.endResetModel()

    def key(self, row: int) -> Any:
        return self.keys[row]

    def row_of(self, key: Any) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self.rows[index.row()][index.column()]
        if role == self.KeyRole:
            return self.keys[index.row()]
        return None


class RecordTableModel(QAbstractTableModel):
    """Rows of records as the clinic sends them (one dict each), in the clinic's order.

    A subclass names its columns and ``titles``, says in ``text`` what each column
    shows of a record (words, never colour alone), and what a record's ``key_of`` is
    (given under KeyRole)."""

    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self.records: list[dict[str, Any]] = []
        self.titles: dict[int, str] = {}

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def key_of(self, record: dict[str, Any]) -> Any:
        raise NotImplementedError

    def text(self, record: dict[str, Any], column: int) -> str:
        raise NotImplementedError

    def row_of(self, key: Any) -> int | None:
        return next((i for i, r in enumerate(self.records) if self.key_of(r) == key), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        record = self.records[index.row()]
        if role == self.KeyRole:
            return self.key_of(record)
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return self.text(record, index.column())
        return None


class PatientRowsModel(QAbstractTableModel):
    """Rows of patients as the clinic sends them (one dict each in ``items``): the queue
    and today's whole clinic list.

    A subclass numbers its columns (``COLUMNS`` of them, ``HEADERS`` their titles,
    marked for StaffConsole), says in ``_text`` what each column shows, in
    ``submission_id`` which submission a row opens, and in ``_more`` any other role."""

    PATIENT: int
    URGENCY: int
    FLAGS: int
    COLUMNS: int
    HEADERS: tuple[str, ...]
    SubmissionIdRole = Qt.ItemDataRole.UserRole + 1
    ItemRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, *, show_flags: bool = True) -> None:
        super().__init__()
        self.show_flags = show_flags
        self.items: list[dict[str, Any]] = []

    def submission_id(self, row: int) -> str | None:
        raise NotImplementedError

    def row_of(self, submission_id: str | None) -> int | None:
        raise NotImplementedError

    def _text(self, item: dict[str, Any], column: int) -> str:
        raise NotImplementedError

    def _more(self, item: dict[str, Any], column: int, role: int) -> Any:
        return None

    def sample_rows(self, column: int) -> dict[Any, int]:
        """One row for each way a cell of ``column`` looks (its words, font and whether
        it has an icon), keyed by that look: the rows whose cells are as wide as any."""
        samples: dict[Any, int] = {}
        for row in range(len(self.items)):
            index = self.index(row, column)
            font = self.data(index, Qt.ItemDataRole.FontRole)
            look = (
                self.data(index, Qt.ItemDataRole.DisplayRole),
                font.key() if isinstance(font, QFont) else None,
                self.data(index, Qt.ItemDataRole.DecorationRole) is not None,
            )
            samples.setdefault(look, row)
        return samples

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return QCoreApplication.translate("StaffConsole", self.HEADERS[section])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.FLAGS:
            return "\n".join(
                f"{words.severity(f['severity'])}: {f['reason']}" for f in item.get("flags", [])
            )
        if role == self.SubmissionIdRole:
            return self.submission_id(index.row())
        if role == self.ItemRole:
            return item
        return self._more(item, column, role)


class SampledWidths(QObject):
    """Keeps a patient table's columns as wide as their widest cell, as Qt's
    ResizeToContents would, but measured on one row per distinct look of a column
    (:meth:`PatientRowsModel.sample_rows`: a few words, NEW in bold or not) rather
    than by sizing every cell of every row each time the rows change; and measured
    again only when those looks, the headings or the table's style change. Columns in
    ``stretch`` share what is left. Rows keep one height."""

    def __init__(self, table: QTableView, model: PatientRowsModel, stretch: Sequence[int]) -> None:
        super().__init__(table)
        self.table = table
        self.model = model
        self.stretch = frozenset(stretch)
        self._measured: Any = None  # what the widths were last measured for
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        model.modelReset.connect(self.fit)
        model.dataChanged.connect(self.fit)
        model.layoutChanged.connect(self.fit)
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _RESTYLED:
            self._measured = None
            self.fit()
        return False

    def fit(self, *_: Any) -> None:
        table, model = self.table, self.model
        header = table.horizontalHeader()
        columns = [
            c
            for c in range(model.columnCount())
            if c not in self.stretch and not table.isColumnHidden(c)
        ]
        samples = {c: model.sample_rows(c) for c in columns}
        measuring = (
            tuple((c, frozenset(samples[c])) for c in columns),
            tuple(model.headerData(c, Qt.Orientation.Horizontal) for c in columns),
        )
        if measuring == self._measured:
            return
        self._measured = measuring
        grid = 1 if table.showGrid() else 0
        for column in columns:
            cells = (
                table.sizeHintForIndex(model.index(row, column)).width() + grid
                for row in samples[column].values()
            )
            width = max(max(cells, default=0), header.sectionSizeHint(column))
            header.resizeSection(
                column, min(max(width, header.minimumSectionSize()), header.maximumSectionSize())
            )


_RESTYLED = frozenset(
    {
        QEvent.Type.Show,
        QEvent.Type.StyleChange,
        QEvent.Type.FontChange,
        QEvent.Type.LanguageChange,
    }
)


class WholeTable(QTableView):
    """A table as tall as all its rows, for tables inside a scrolling page."""

    def __init__(self) -> None:
        super().__init__()
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows.sectionResized.connect(lambda *_: self.updateGeometry())
        rows.sectionCountChanged.connect(lambda *_: self.updateGeometry())

    def _height(self) -> int:
        rows = self.verticalHeader().length() or self.verticalHeader().defaultSectionSize()
        return self.horizontalHeader().sizeHint().height() + rows + 2 * self.frameWidth() + 2

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self._height())


def table_view(
    model: QAbstractTableModel, name: str, *, whole: bool = False, stretch: Sequence[int] = ()
) -> QTableView:
    """A read-only, row-selecting view; ``whole``: as tall as its rows (inside a scroll area).

    Columns fit their contents, except those in ``stretch``, which share what is left
    (their text wraps) so the table never needs to scroll sideways."""
    view = WholeTable() if whole else QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setWordWrap(bool(stretch))
    view.verticalHeader().hide()
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(not stretch)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    return view
