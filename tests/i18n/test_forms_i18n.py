"""The questionnaires in every shipped language, and what the kiosk does with drafts.

The forms are read here as raw YAML (kiosk.engine.yamlsource) as well as through
the engine, so that a gap can be named by file and line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.engine import FormLibrary
from kiosk.engine.library import check_paths
from kiosk.engine.standard_text import STANDARD_OPTION_TEXT
from kiosk.engine.yamlsource import Located, load_yaml
from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.journey import Journey
from kiosk.journey.journey import LANGUAGE_RECORD, LANGUAGE_STATUS_RECORD, language_status
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.i18n

ROOT = Path(__file__).resolve().parents[2]
FORMS = ROOT / "forms"
SOURCE = "en"
TRANSLATIONS = ("cy", "pl", "ur", "bn", "ar")
SHIPPED_LANGUAGES = (SOURCE, *TRANSLATIONS)
FORM_FILES = sorted(p for p in FORMS.glob("*.yaml") if p.name != "pathways.yaml")
ALL_LICENCES = {"mycaw": "TEST-LICENCE"}  # MYCaW pathways need the site licence recorded

# What each language's text is written in: a translation left in English, or
# pasted under the wrong code, shows up as the wrong script.
SCRIPTS = {"cy": "LATIN", "pl": "LATIN", "ur": "ARABIC", "ar": "ARABIC", "bn": "BENGALI"}
BRACES = re.compile(r"\{[^{}]*\}")

YamlPath = tuple[str | int, ...]


def read(path: Path) -> Located:
    return load_yaml(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))


def text_fields(document: dict[str, Any]) -> Iterator[tuple[YamlPath, dict[str, Any]]]:
    """Every patient-facing text of a form file (the schema's ``Text`` fields)."""
    for key in ("title", "description"):
        if key in document:
            yield (key,), document[key]
    for i, item in enumerate(document.get("items", [])):
        for key in ("text", "help"):
            if key in item:
                yield ("items", i, key), item[key]
        for kind in ("options", "anchors"):
            for j, entry in enumerate(item.get(kind) or []):
                yield ("items", i, kind, j, "text"), entry["text"]
        message = (item.get("validation") or {}).get("message")
        if message is not None:
            yield ("items", i, "validation", "message"), message


def language_maps(value: Any, path: YamlPath = ()) -> Iterator[YamlPath]:
    """Every mapping with an ``en`` key anywhere in the file, except ``languages:``."""
    if isinstance(value, dict):
        if SOURCE in value and path != ("languages",):
            yield path
        for key, child in value.items():
            yield from language_maps(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from language_maps(child, (*path, index))


def where(located: Located, path: YamlPath) -> str:
    return f"{located.path}:{located.line_of(path)}: {'.'.join(map(str, path))}"


@pytest.fixture(scope="module")
def shipped() -> FormLibrary:
    return FormLibrary.load(FORMS)


def test_the_shipped_forms_are_all_here() -> None:
    assert {p.stem for p in FORM_FILES} == {
        "what_matters",
        "social_welfare",
        "ons4",
        "mycaw",
        "mycaw_followup",
        "semcd6",
        "about_you",
    }


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_no_text_field_is_missed_by_the_walk(path: Path) -> None:
    """A text the walk below does not know of would escape the language checks."""
    located = read(path)
    known = {field for field, _ in text_fields(located.value)}
    unknown = [where(located, p) for p in language_maps(located.value) if p not in known]
    assert not unknown, "texts not checked for languages:\n" + "\n".join(unknown)


@pytest.mark.control("H-06-C4")
@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_every_text_is_in_every_shipped_language_unless_that_language_is_a_draft(
    path: Path,
) -> None:
    located = read(path)
    declared: dict[str, str] = located.value["languages"]
    gaps = [
        f"{where(located, field)} has no '{language}' text"
        for field, text in text_fields(located.value)
        for language in SHIPPED_LANGUAGES
        if not str(text.get(language) or "").strip() and declared.get(language) != "draft"
    ]
    assert not gaps, "\n".join(gaps)


@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_the_shipped_forms_have_every_text_and_declare_every_translation_a_draft(
    path: Path,
) -> None:
    """Both hold today: all the words are there, and none is checked yet.

    A language becomes ``validated`` only through the review in
    i18n/glossary-forms.md (official translations for published instruments);
    change this test in the same commit."""
    located = read(path)
    gaps = [
        f"{where(located, field)} has no '{language}' text"
        for field, text in text_fields(located.value)
        for language in SHIPPED_LANGUAGES
        if not str(text.get(language) or "").strip()
    ]
    assert not gaps, "\n".join(gaps)
    assert located.value["languages"] == {
        SOURCE: "validated",
        **dict.fromkeys(TRANSLATIONS, "draft"),
    }, where(located, ("languages",))


@pytest.mark.control("H-06-C4")
@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_placeholders_agree_between_the_english_and_each_translation(path: Path) -> None:
    located = read(path)
    problems = []
    for field, text in text_fields(located.value):
        english = Counter(BRACES.findall(text[SOURCE]))
        for language in TRANSLATIONS:
            found = Counter(BRACES.findall(text.get(language, "")))
            if found != english:
                problems.append(
                    f"{where(located, field)} [{language}]: {sorted(found.elements())} "
                    f"where the English has {sorted(english.elements())}"
                )
    assert not problems, "\n".join(problems)


def test_the_follow_up_placeholders_are_really_checked() -> None:
    located = read(FORMS / "mycaw_followup.yaml")
    texts = [text for _, text in text_fields(located.value) if BRACES.search(text[SOURCE])]
    assert len(texts) == 2
    for text in texts:
        for language in TRANSLATIONS:
            assert "{baseline.concern_" in text[language], language


@pytest.mark.control("H-06-C4")
@pytest.mark.parametrize("path", FORM_FILES, ids=lambda p: p.stem)
def test_each_translation_is_written_in_its_own_script(path: Path) -> None:
    located = read(path)
    wrong = []
    for field, text in text_fields(located.value):
        for language, script in SCRIPTS.items():
            words = text[language]
            letters = [ch for ch in words if ch.isalpha()]
            in_script = [ch for ch in letters if unicodedata.name(ch, "").startswith(script)]
            # Codes such as BSL or E1 1AA stay in Latin letters inside Urdu, Bengali, Arabic.
            if len(in_script) < len(letters) / 2:
                wrong.append(f"{where(located, field)} [{language}]: {words!r}")
            if script == "LATIN" and words == text[SOURCE] and any(letters):
                wrong.append(f"{where(located, field)} [{language}]: still the English")
    assert not wrong, "\n".join(wrong)


def test_the_engine_has_yes_no_and_prefer_not_in_every_shipped_language() -> None:
    for language in SHIPPED_LANGUAGES:
        texts = STANDARD_OPTION_TEXT[language]
        assert set(texts) == {"yes", "no", "prefer_not"}, language
        assert all(word.strip() for word in texts.values()), language
    assert len({STANDARD_OPTION_TEXT[code]["prefer_not"] for code in SHIPPED_LANGUAGES}) == 6


def test_the_shipped_forms_pass_the_full_engine_check() -> None:
    report = check_paths([str(FORMS)])
    assert [str(problem) for problem in report.problems] == []
    assert len(report.forms) == len(FORM_FILES)
    assert report.pathway_files == 1


# ---------------------------------------------------------------- which languages are offered


@pytest.mark.control("H-06-C1")
def test_drafts_are_offered_only_when_the_clinic_allows_them(shipped: FormLibrary) -> None:
    for pathway in shipped.pathways:
        assert shipped.pathway_languages(pathway, ALL_LICENCES) == [SOURCE], pathway
        assert shipped.pathway_languages(pathway, ALL_LICENCES, drafts=True) == [
            SOURCE,
            *sorted(TRANSLATIONS),
        ], pathway


def small_form(form_id: str, languages: dict[str, str]) -> str:
    def text(words: str) -> str:
        return "{" + ", ".join(f"{code}: {words} ({code})" for code in languages) + "}"

    statuses = "{" + ", ".join(f"{code}: {status}" for code, status in languages.items()) + "}"
    return (
        f'format: 1\nid: {form_id}\nversion: "1.0"\ntitle: {text("Title")}\n'
        "source: {name: Test}\nlicence: {name: Test}\n"
        f"languages: {statuses}\n"
        f"items:\n  - id: note\n    type: short_text\n    text: {text('Anything else')}\n"
    )


@pytest.fixture
def two_forms(tmp_path: Path) -> FormLibrary:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "first.yaml").write_text(
        small_form("first", {"en": "validated", "cy": "validated", "pl": "draft", "ar": "draft"}),
        encoding="utf-8",
    )
    (folder / "second.yaml").write_text(
        small_form("second", {"en": "validated", "cy": "draft", "ur": "validated", "ar": "draft"}),
        encoding="utf-8",
    )
    (folder / "pathways.yaml").write_text(
        "format: 1\npathways:\n"
        "  - {id: both, title: Both, forms: [first, second]}\n"
        "  - {id: first_only, title: First only, forms: [first]}\n",
        encoding="utf-8",
    )
    return FormLibrary.load(folder)


@pytest.mark.control("H-06-C1")
def test_a_language_is_offered_only_when_the_whole_pathway_has_it(two_forms: FormLibrary) -> None:
    # cy: validated in one form but a draft in the other; pl and ur: missing from one form.
    assert two_forms.pathway_languages("both", {}) == ["en"]
    assert two_forms.pathway_languages("both", {}, drafts=True) == ["en", "ar", "cy"]
    assert two_forms.pathway_languages("first_only", {}) == ["en", "cy"]
    assert two_forms.pathway_languages("first_only", {}, drafts=True) == ["en", "ar", "cy", "pl"]


@pytest.mark.control("H-06-C2")
def test_a_language_s_status_is_the_lowest_across_the_pathway(two_forms: FormLibrary) -> None:
    both = two_forms.pathway_forms("both", {})
    first = two_forms.pathway_forms("first_only", {})
    assert language_status(both, "en") == "validated"
    assert language_status(first, "cy") == "validated"
    assert language_status(both, "cy") == "draft"  # a draft in the second form
    assert language_status(both, "ar") == "draft"
    assert language_status(both, "ur") == "draft"  # not in the first form at all


# ---------------------------------------------------------------- what the submission records


@pytest.fixture
def clinic() -> ClinicKeyPair:
    return ClinicKeyPair.generate()


@pytest.fixture
def tablet(tmp_path: Path, clinic: ClinicKeyPair) -> Iterator[TabletStore]:
    opened = TabletStore.open(tmp_path / "tablet", clinic.public)
    yield opened
    opened.close()


@pytest.mark.control("H-06-C2", "H-06-C3")
def test_a_journey_in_welsh_records_the_language_and_that_it_is_a_draft(
    shipped: FormLibrary, tablet: TabletStore, clinic: ClinicKeyPair
) -> None:
    assert "cy" in shipped.pathway_languages("cardiology", {}, drafts=True)
    journey = Journey(tablet, shipped, "cardiology", {}, language="cy")
    journey.answer("social_welfare", "ends_meet", "yes")
    journey.answer("social_welfare", "missed_meal", "prefer_not")
    assert journey.answer_text("social_welfare", "ends_meet") == "Ie"
    assert journey.answer_text("social_welfare", "missed_meal") == "Dydw i ddim eisiau ateb"
    assert journey.form("ons4").text("anxiety", "cy").startswith("Ar raddfa")
    journey.submit()
    [item] = tablet.pending()
    opened = open_envelope(item.envelope, clinic.private)
    assert opened.record(LANGUAGE_RECORD) == "cy"
    assert opened.record(LANGUAGE_STATUS_RECORD) == "draft"
    assert opened.answers()["social_welfare"] == {"ends_meet": "yes", "missed_meal": "prefer_not"}


def test_a_journey_in_english_records_a_validated_language(
    shipped: FormLibrary, tablet: TabletStore, clinic: ClinicKeyPair
) -> None:
    Journey(tablet, shipped, "survey", {}).abandon()
    [item] = tablet.pending()
    opened = open_envelope(item.envelope, clinic.private)
    assert opened.record(LANGUAGE_RECORD) == "en"
    assert opened.record(LANGUAGE_STATUS_RECORD) == "validated"


# ---------------------------------------------------------------- the kiosk's own choice


@pytest.mark.control("H-06-C1")
@pytest.mark.parametrize("drafts", [False, True])
def test_the_kiosk_offers_draft_languages_only_when_set_to(
    qtbot, shipped: FormLibrary, tablet: TabletStore, drafts: bool
) -> None:
    window = KioskWindow(
        tablet,
        shipped,
        "cardiology",
        {},
        Background(),
        StaffPin(tablet),
        draft_translations=drafts,
    )
    qtbot.addWidget(window)
    screens = window.translations.available()
    offered = [code for code in SHIPPED_LANGUAGES if code in screens] if drafts else [SOURCE]
    assert sorted(window.languages) == sorted(offered)
    window.background.wait()


@pytest.mark.control("H-06-C2")
def test_a_draft_language_chosen_on_the_kiosk_is_asked_in_and_sealed_with_its_status(
    qtbot, shipped: FormLibrary, tablet: TabletStore, clinic: ClinicKeyPair
) -> None:
    window = KioskWindow(
        tablet, shipped, "cardiology", {}, Background(), StaffPin(tablet), draft_translations=True
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    if "cy" not in window.languages:
        window.background.wait()
        skip_or_fail("the kiosk's screens have no Welsh translation here")

    def tap(name: str) -> None:
        button = window.currentWidget().findChild(QPushButton, name)
        assert button is not None and button.isVisible(), name
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    try:
        tap("start")
        tap("language_cy")
        tap("agree")
        qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
        words = [label.text() for label in window.currentWidget().findChildren(QLabel)]
        assert any("Mae'n iawn gofyn" in text for text in words), words
        window.reset("abandoned")
        window.background.wait()
        [item] = tablet.pending()
        opened = open_envelope(item.envelope, clinic.private)
        assert opened.record(LANGUAGE_RECORD) == "cy"
        assert opened.record(LANGUAGE_STATUS_RECORD) == "draft"
    finally:
        window.background.wait()
        window.translations.use(SOURCE)
