"""An export under way: how it ended is audited when its stream stops ("ok" with how
much went out, or "failed" with what had gone out by then)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.clinic.plumbing import Core as ClinicService


class CsvSource(Protocol):
    """What a run needs of the CSV exporter it streams (``csv_rows.Exporter``)."""

    rows_written: int

    def csv_chunks(self) -> Iterator[str]: ...


@dataclass(frozen=True)
class ExportRun:
    """An export that has been audited as started; ``stream`` audits how it ended:
    "ok" with how many rows or entries went out, or "failed" if the stream broke
    (an error, or the other end went away), with what had gone out by then."""

    service: ClinicService
    actor: str
    what: str
    target: str
    remote: str | None

    def stream(self, chunks: Iterator[str], count: Any, unit: str) -> Iterator[str]:
        pieces, outcome = 0, "failed"
        try:
            for piece in chunks:
                pieces += 1
                yield piece
            outcome = "ok"
        finally:
            self.service.audit_now(
                self.actor,
                "export",
                f"{outcome}: {self.what}",
                target=self.target,
                remote=self.remote,
                detail=f"{count(pieces)} {unit}",
            )

    def fhir(self, chunks: Iterator[str]) -> Iterator[str]:
        """A bundle from ``exports.fhir.fhir_chunks``: one piece per entry, with its
        opening and end."""
        return self.stream(chunks, lambda pieces: max(pieces - 2, 0), "entries")

    def csv(self, exporter: CsvSource) -> Iterator[str]:
        return self.stream(exporter.csv_chunks(), lambda _p: exporter.rows_written, "rows")
