"""What an opened submission must satisfy before the clinic stores it.

A tablet is trusted to seal what its patient answered, not to decide what the
clinic's forms allow. A submission is stored only when its pathway is one the
clinic serves, its language one the clinic's forms are written in, and every
answer to a form the clinic knows is one that form allows. Anything else is
held with a reason (:mod:`kiosk.clinic.held`) for an administrator, never
stored half-checked and never allowed to stop the submissions beside it.

Reasons name the form, the item and the engine's reason code, never an answer:
an answer may be a patient's own words.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.engine import AnswerError, EngineError, FormLibrary, UnknownFormError
from kiosk.engine.answers import Answer
from kiosk.engine.library import PATHWAYS_FILE, check_paths
from kiosk.engine.loader import load_pathways
from kiosk.envelope.envelope import OpenedSubmission

log = logging.getLogger(__name__)
LANGUAGE_RECORD = "_session/language"
_SHOWN = 40  # characters of an unknown value shown in a reason


def shown(value: Any) -> str:
    """A value from a tablet, made safe to show in a reason: printable, short, quoted."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return repr(text[:_SHOWN] + ("…" if len(text) > _SHOWN else ""))


@dataclass(frozen=True)
class Served:
    """The pathways and languages the clinic serves at one moment (:meth:`Catalogue.served`)."""

    pathways: frozenset[str]
    languages: frozenset[str]

    def languages_with(self, library: FormLibrary, forms: Iterable[Mapping[str, Any]]) -> set[str]:
        """These languages, and those of every known form version a submission names."""
        offered = set(self.languages)
        for entry in forms:
            try:
                offered.update(library.by_hash(str(entry.get("hash"))).spec.languages)
            except UnknownFormError:
                continue
        return offered


@dataclass
class Catalogue:
    """The pathways and languages the clinic serves, read from its forms folders.

    Read again whenever a file there changes: tablets are served the files as they
    are now, so a pathway or a form version (with its languages) added for them is
    known here at once, without restarting the service."""

    folders: list[Path]
    _signature: tuple[tuple[str, int, int], ...] | None = None
    _pathways: frozenset[str] = field(default_factory=frozenset)
    _languages: frozenset[str] = field(default_factory=frozenset)
    # One request reads the folders again; the others arriving meanwhile wait for it
    # and use what it read, instead of all loading every form at once.
    _reading: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def served(self, library: FormLibrary) -> Served:
        """What the clinic serves now, with ``library``: read once for a whole batch, so
        the forms folders are looked at once per request, not once per submission."""
        self._refresh()
        languages = set(self._languages)
        languages.update(code for form in library.forms() for code in form.spec.languages)
        return Served(self._pathways | frozenset(library.pathways), frozenset(languages))

    def _refresh(self) -> None:
        with self._reading:
            self._read_if_changed()

    def _read_if_changed(self) -> None:
        files = sorted(
            f for folder in self.folders if folder.is_dir() for f in folder.glob("*.yaml")
        )
        try:
            signature = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
        except OSError:
            return  # a file is being replaced: use what was read last
        if signature == self._signature:
            return
        report = check_paths([str(folder) for folder in self.folders])
        if report.problems:
            log.warning("forms folders have %d problems; checking with what loads",
                        len(report.problems))  # fmt: skip
        self._languages = frozenset(code for form in report.forms for code in form.spec.languages)
        pathways: set[str] = set()
        for file in files:
            if file.name != PATHWAYS_FILE:
                continue
            try:
                spec, _ = load_pathways(file)
            except (EngineError, OSError):
                continue  # check_paths has reported it
            pathways.update(pathway.id for pathway in spec.pathways)
        self._pathways = frozenset(pathways)
        self._signature = signature  # last: another thread never sees it with older sets


Checked = list[dict[str, Answer | None] | None]
"""Each form's answers (in the order of ``opened.forms``) as the engine made them
canonical (:meth:`Form.normalise_all`); None for a form version the clinic does not
know."""


def why_held(opened: OpenedSubmission, library: FormLibrary, served: Served) -> str | None:
    """Why ``opened`` must be held instead of stored ("code: plain words"); None: store it.

    ``served``: what the clinic serves, as read for this batch (:meth:`Catalogue.served`)."""
    return checked_answers(opened, library, served)[0]


def checked_answers(
    opened: OpenedSubmission, library: FormLibrary, served: Served
) -> tuple[str | None, Checked]:
    """:func:`why_held`'s reason, and the answers it checked, made canonical, so scoring
    does not check them again (:meth:`kiosk.clinic.scoring.Scoring.rows`)."""
    if opened.pathway not in served.pathways:
        return f"unknown pathway: {shown(opened.pathway)} is not a clinic pathway", []
    language = opened.record(LANGUAGE_RECORD)
    if language is not None and (
        not isinstance(language, str)
        or language not in served.languages_with(library, opened.forms)
    ):
        return (
            f"unknown language: {shown(language)} is not a language of the clinic's forms",
            [],
        )
    answers = opened.answers()
    checked: Checked = []
    for entry in opened.forms:
        try:
            form = library.by_hash(str(entry.get("hash")))
        except UnknownFormError:
            checked.append(None)
            continue  # kept encrypted; scored once the clinic has this version
        try:
            checked.append(form.normalise_all(answers.get(str(entry.get("id")), {})))
        except AnswerError as exc:
            return (
                f"invalid answer: {form.id} {form.version}, item {shown(exc.item_id)} ({exc.code})",
                [],
            )
    return None, checked
