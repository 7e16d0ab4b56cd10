"""Yesterday's clinic list goes once a new day begins while the kiosk runs.

The store forgets earlier days' lists when it opens; a kiosk left running past
midnight checks the date every ``interval_ms`` and has the store forget them
again, in the background. A failure is not the patient's problem: it is logged
and tried again at the next check.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk.store import TabletStore
from kiosk.ui.background import Background

log = logging.getLogger(__name__)


class EarlierListsPurge(QObject):
    def __init__(
        self,
        store: TabletStore,
        background: Background,
        today: Callable[[], dt.date],
        interval_ms: int,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._background, self._today = store, background, today
        self._purged_for = today()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> None:
        day = self._today()
        if day == self._purged_for:
            return

        def purged(_: int) -> None:
            self._purged_for = day

        def failed(exc: Exception) -> None:
            log.error("earlier clinic lists not removed yet: %s", type(exc).__name__)

        self._background.run(lambda: self._store.purge_clinic_lists(before=day), purged, failed)
