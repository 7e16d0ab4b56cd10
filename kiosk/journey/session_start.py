"""Which pathway and which language a patient's session starts in.

Plain rules, tested without a window: the kiosk asks them when a patient
begins, with the tablet's pathway, the patient's link and the language they
chose.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the kiosk's first screen reads SOURCE_LANGUAGE
    from kiosk.journey.linking import PatientLink

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
"""The language every form is written in first: always offered, the fallback."""


def pathway_for(link: PatientLink, tablet_pathway: str) -> str:
    """The appointment's own pathway when the clinic list names one, else the tablet's."""
    if link.appointment is not None and link.appointment.pathway:
        return link.appointment.pathway
    return tablet_pathway


def question_language(pathway: str, chosen: str, offered: Collection[str]) -> str:
    """The language to ask ``pathway``'s questions in: the one chosen if every form of
    the pathway is written in it (``offered``), else English."""
    if chosen in offered:
        return chosen
    log.error("pathway %s is not written in %s: asking in English", pathway, chosen)
    return SOURCE_LANGUAGE


def usable_languages(offered: Iterable[str], screens: Collection[str]) -> list[str]:
    """Those of the pathway's languages (``offered``, in order) the kiosk's own screens
    are also written in: the languages a patient may choose."""
    return [code for code in offered if code in screens]
