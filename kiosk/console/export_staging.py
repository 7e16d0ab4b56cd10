"""Export files written into a folder on this computer: whole, and a set all or none.

Each download goes to ``<name>.incoming`` beside its final name; only once every
file of a set has arrived are they renamed into place. On any failure the staged
files are removed and an older file of the same name is left as it was, so a
failed export never leaves a half-written file or half a set behind.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from kiosk.console.client import StaffClient

# The clinic's own rule for project names (kiosk.clinic.exports.anonymity.ExportOptions);
# checked here too because the name becomes part of a file name on this computer.
PROJECT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
INCOMING = ".incoming"
Written = list[tuple[str, int]]  # (file name, bytes)
Download = Callable[[Path], int]  # writes the file at the path given; returns its size


def deliver_all(folder: Path, downloads: Mapping[str, Download]) -> Written:
    """Every file of ``downloads`` (name -> download) into ``folder``, or, on any
    failure, none of them; the failure is raised."""
    staged = {name: folder / (name + INCOMING) for name in downloads}
    try:
        sizes = {name: download(staged[name]) for name, download in downloads.items()}
        for name, path in staged.items():
            path.replace(folder / name)
    finally:
        for path in staged.values():
            with contextlib.suppress(OSError):  # the error to report is the one above
                path.unlink(missing_ok=True)
    return list(sizes.items())


def deliver_one(name: str, download: Callable[[], int]) -> Written:
    """One file the client writes whole by itself (it streams to a temporary name)."""
    return [(name, download())]


def anonymised_names(project: str, free_text: bool) -> list[str]:
    """The anonymised set's files: the CSV, its dictionary, the appointment counts."""
    return [
        f"{project}-anonymised{'-free-text' if free_text else ''}.csv",
        f"{project}-dictionary.md",
        "appointments.csv",
    ]


def export_anonymised_set(
    client: StaffClient,
    folder: Path,
    project: str,
    purpose: str,
    *,
    free_text: bool,
    shift_dates: bool,
) -> Written:
    """The anonymised CSV, its dictionary and the appointment counts, into ``folder``:
    all three, or (on any failure) none of them."""
    csv_name, dictionary_name, appointments_name = anonymised_names(project, free_text)
    return deliver_all(
        folder,
        {
            csv_name: lambda path: client.export_anonymised(
                path, project, purpose, free_text=free_text, shift_dates=shift_dates
            ),
            dictionary_name: lambda path: client.export_dictionary(
                path, project, free_text=free_text
            ),
            appointments_name: client.export_appointments,
        },
    )
