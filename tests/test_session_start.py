"""Which pathway and language a session starts in (no window needed)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from kiosk.engine import FormLibrary
from kiosk.exchange.clinic_list import Appointment
from kiosk.journey.linking import PatientLink
from kiosk.journey.session_start import (
    SOURCE_LANGUAGE,
    pathway_for,
    question_language,
    usable_languages,
)

FORMS = Path(__file__).resolve().parents[1] / "forms"


def booked(pathway: str | None) -> Appointment:
    return Appointment(
        "A-1", "10:00", "Pain clinic", "Shah", "Pat", dt.date(1980, 1, 1), pathway=pathway
    )


def test_an_appointment_that_names_a_pathway_is_asked_that_pathway() -> None:
    assert pathway_for(PatientLink("self_check_in", booked("survey")), "cardiology") == "survey"
    assert pathway_for(PatientLink("reception", booked("pain")), "cardiology") == "pain"


@pytest.mark.parametrize(
    "link",
    [
        PatientLink("anonymous"),
        PatientLink("unlinked"),
        PatientLink("reception", booked(None)),
        PatientLink("self_check_in", booked("")),
    ],
    ids=repr,
)
def test_otherwise_the_tablets_own_pathway(link: PatientLink) -> None:
    assert pathway_for(link, "cardiology") == "cardiology"


def test_the_chosen_language_when_the_pathway_is_written_in_it() -> None:
    assert question_language("cardiology", "cy", ["en", "cy", "pl"]) == "cy"


def test_english_when_the_pathway_is_not_written_in_the_chosen_language(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="kiosk.journey.session_start"):
        assert question_language("survey", "ur", ["en", "cy"]) == SOURCE_LANGUAGE == "en"
    assert "pathway survey is not written in ur: asking in English" in caplog.text


def test_a_language_is_offered_only_where_the_screens_have_it_too() -> None:
    assert usable_languages(["en", "cy", "pl", "ur"], {"en", "ur", "ar"}) == ["en", "ur"]
    assert usable_languages(["en", "cy"], set()) == []


def test_a_shipped_pathway_falls_back_to_english_which_it_is_written_in() -> None:
    offered = FormLibrary.load(FORMS).pathway_languages("cardiology", {}, drafts=True)
    assert offered[0] == SOURCE_LANGUAGE
    assert question_language("cardiology", "xx", offered) == SOURCE_LANGUAGE
