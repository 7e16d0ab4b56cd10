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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.engine import AnswerError, EngineError, FormLibrary, UnknownFormError
from kiosk.engine.library import PATHWAYS_FILE
from kiosk.engine.loader import load_pathways
from kiosk.envelope.envelope import OpenedSubmission

log = logging.getLogger(__name__)
LANGUAGE_RECORD = "_session/language"
_SHOWN = 40  # characters of an unknown value shown in a reason


def shown(value: Any) -> str:
    """A value from a tablet, made safe to show in a reason: printable, short, quoted."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))
    return repr(text[:_SHOWN] + ("…" if len(text) > _SHOWN else ""))


@dataclass
class Catalogue:
    """The pathways and languages the clinic serves, read from its forms folders.

    Read again whenever a pathways file changes, so a pathway added for the
    tablets (which are served the files as they are now) is known here too."""

    folders: list[Path]
    _signature: tuple[tuple[str, float], ...] | None = None
    _pathways: frozenset[str] = field(default_factory=frozenset)

    def pathways(self, library: FormLibrary) -> frozenset[str]:
        files = [folder / PATHWAYS_FILE for folder in self.folders]
        signature = tuple((str(f), f.stat().st_mtime) for f in files if f.is_file())
        if signature != self._signature:
            known: set[str] = set()
            for file, _mtime in signature:
                try:
                    spec, _ = load_pathways(Path(file))
                except (EngineError, OSError) as exc:
                    log.warning("pathways file not readable (%s); using the loaded ones", exc)
                    continue
                known.update(pathway.id for pathway in spec.pathways)
            self._pathways, self._signature = frozenset(known), signature
        return self._pathways | frozenset(library.pathways)


def languages(library: FormLibrary, forms: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every language a form of the clinic, or a form this submission names, is written in."""
    offered = {code for form in library.forms() for code in form.spec.languages}
    for entry in forms:
        try:
            offered.update(library.by_hash(str(entry.get("hash"))).spec.languages)
        except UnknownFormError:
            continue
    return offered


def why_held(opened: OpenedSubmission, library: FormLibrary, catalogue: Catalogue) -> str | None:
    """Why ``opened`` must be held instead of stored ("code: plain words"); None: store it."""
    if opened.pathway not in catalogue.pathways(library):
        return f"unknown pathway: {shown(opened.pathway)} is not a clinic pathway"
    language = opened.record(LANGUAGE_RECORD)
    if language is not None and (
        not isinstance(language, str) or language not in languages(library, opened.forms)
    ):
        return f"unknown language: {shown(language)} is not a language of the clinic's forms"
    answers = opened.answers()
    for entry in opened.forms:
        try:
            form = library.by_hash(str(entry.get("hash")))
        except UnknownFormError:
            continue  # kept encrypted; scored once the clinic has this version
        for item_id, raw in answers.get(str(entry.get("id")), {}).items():
            try:
                form.normalise(item_id, raw)
            except AnswerError as exc:
                return (
                    f"invalid answer: {form.id} {form.version}, item {shown(exc.item_id)} "
                    f"({exc.code})"
                )
    return None
