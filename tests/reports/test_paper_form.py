"""Blank paper forms: the tablet's questions in the tablet's order, large, with codes to key in.

Every check reads the real PDF back (pypdf) and compares it with the form files,
so a question reworded, dropped or moved in the forms is caught here too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import Form, FormLibrary
from kiosk.engine.answers import option_codes
from kiosk.reports.paper_form import PaperFormError, paper_form_pdf, paper_forms
from tests.engine.test_site_pam import synthetic_pam_form

pytestmark = [pytest.mark.export]

ROOT = Path(__file__).resolve().parents[2]
ONS_CREDIT = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0"
)
CHOICE_TYPES = ("single_choice", "multi_choice", "yes_no")


@pytest.fixture(scope="module")
def library() -> FormLibrary:
    return FormLibrary.load(ROOT / "forms")


def flat(text: str) -> str:
    return " ".join(text.split())


def questions(form: Form, language: str) -> list[str]:
    return [flat(form.text(i.id, language)) for i in form.spec.items if i.type != "info"]


def assert_in_order(text: str, parts: list[str]) -> None:
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing or out of order"
        position = found + len(part)


def test_every_question_in_the_tablets_order_with_its_answer_codes(library, read_pdf) -> None:
    paper = paper_forms(library, "cardiology", "en", {})
    text = read_pdf(paper_form_pdf(paper)).flat
    expected: list[str] = []
    for form in library.pathway_forms("cardiology", {}):
        expected.append(flat(form.spec.title["en"]))
        for item in form.spec.items:
            if item.type == "info":
                continue
            expected.append(flat(form.text(item.id, "en")))
            if item.type in CHOICE_TYPES:
                # Each answer's words with its code printed beside them, in the form's order.
                expected += [
                    f"{flat(form.option_text(item.id, code, 'en'))} {code}"
                    for code in option_codes(item)
                ]
    assert_in_order(text, expected)
    assert "Name:" in text and "Appointment:" in text
    assert "Cardiology outpatients" in text
    assert "Page 1 of" in text


def test_scales_are_a_row_of_numbered_boxes_with_their_anchors(library, read_pdf) -> None:
    text = read_pdf(paper_form_pdf(paper_forms(library, "cardiology", "en", {}))).flat
    ons4 = library.get("ons4")
    item = ons4.spec.items[0]
    assert item.type == "scale" and item.min is not None and item.max is not None
    numbers = " ".join(str(n) for n in range(item.min, item.max + 1))
    assert f"{flat(ons4.text(item.id, 'en'))} Tick one box. {numbers}" in text
    for anchor in item.anchors or ():
        assert f"{anchor.value} = {anchor.text['en']}" in text


def test_large_print_everywhere_the_patient_reads(library, read_pdf) -> None:
    pdf = read_pdf(paper_form_pdf(paper_forms(library, "cardiology", "en", {})))
    small: list[str] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip() and float(size) < 14:
            small.append(text.strip())

    for page in pdf.reader.pages:
        page.extract_text(visitor_text=visit)
    forms = library.pathway_forms("cardiology", {})
    codes = {code for form in forms for item in form.spec.items for code in option_codes(item)}
    for run in small:
        # Only what staff read is small: answer codes, form references and the footer.
        assert (
            run in codes
            or run.startswith("cardiology ·")
            or any(run == f"{f.id} {f.version}" for f in forms)
        ), run
    sizes = pdf.font_sizes()
    assert sum(1 for s in sizes if s >= 14) > len(small)


def test_welsh_paper_form_is_in_the_forms_welsh_words(library, read_pdf) -> None:
    pdf = read_pdf(paper_form_pdf(paper_forms(library, "cardiology", "cy", {})))
    text = pdf.flat
    for form in library.pathway_forms("cardiology", {}):
        assert flat(form.spec.title["cy"]) in text
        assert_in_order(text, questions(form, "cy"))
    assert "Ticiwch un blwch." in text
    assert "Tudalen 1 o" in text
    assert "Overall, how satisfied" not in text
    # The credit is printed as the tablet shows it (in the form's words).
    assert ONS_CREDIT in text


def test_arabic_paper_form_has_every_glyph(library, read_pdf) -> None:
    pdf = read_pdf(paper_form_pdf(paper_forms(library, "survey", "ar", {})))
    pdf.assert_no_missing_glyphs()
    assert "NotoNaskhArabic-Regular" in pdf.base_fonts() or any(
        "NotoNaskhArabic" in f for f in pdf.base_fonts()
    )


def test_licence_credit_printed_and_licensed_forms_only_with_a_site_licence(
    library, read_pdf
) -> None:
    text = read_pdf(paper_form_pdf(paper_forms(library, "renal", "en", {}))).flat
    assert ONS_CREDIT in text
    with pytest.raises(PaperFormError, match="site licence"):
        paper_forms(library, "pain", "en", {})
    mycaw = library.get("mycaw")
    licensed = read_pdf(paper_form_pdf(paper_forms(library, "pain", "en", {"mycaw": "MM-1"}))).flat
    assert flat(mycaw.spec.title["en"]) in licensed
    assert mycaw.spec.licence.attribution is not None
    assert flat(mycaw.spec.licence.attribution) in licensed


def test_a_proprietary_form_is_never_printed(tmp_path, read_pdf) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "pam13.yaml").write_text(synthetic_pam_form(), encoding="utf-8")
    (site / "pam13-conversion.csv").write_text(
        "raw,converted\n" + "".join(f"{raw},{raw}\n" for raw in range(13, 53)), encoding="utf-8"
    )
    (site / "pathways.yaml").write_text(
        "format: 1\npathways:\n  - id: activation\n    title: Activation clinic\n"
        "    forms: [ons4, pam13]\n",
        encoding="utf-8",
    )
    library = FormLibrary.load(ROOT / "forms", site)
    text = read_pdf(paper_form_pdf(paper_forms(library, "activation", "en", {"pam13": "S-1"}))).flat
    assert "Synthetic statement" not in text
    assert "answered on the tablet, not on paper" in text
    assert flat(library.get("ons4").text("life_satisfaction", "en")) in text


def test_unknown_pathway_or_language_is_a_plain_refusal(library) -> None:
    with pytest.raises(PaperFormError, match="no pathway 'nowhere'"):
        paper_forms(library, "nowhere", "en", {})
    with pytest.raises(PaperFormError, match="has no 'fr' text"):
        paper_forms(library, "cardiology", "fr", {})


def test_command_writes_one_pdf_per_pathway_and_offered_language(tmp_path, read_pdf) -> None:
    env = {**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "data")}
    env.pop("KIOSK_SITE_FORMS_DIR", None)
    env.pop("KIOSK_FORMS_DIR", None)

    def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "kiosk", "forms", "paper", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            cwd=tmp_path,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    one = kiosk("survey", "--language", "pl", "--out", str(tmp_path / "survey.pdf"))
    assert one.returncode == 0, one.stderr
    assert "Zaznacz jedno pole." in read_pdf((tmp_path / "survey.pdf").read_bytes()).flat

    validated_only = kiosk("--all", str(tmp_path / "en"))
    assert validated_only.returncode == 0, validated_only.stderr
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == [
        "cardiology-en.pdf",
        "renal-en.pdf",
        "survey-en.pdf",
    ]
    assert "skipped pain:" in validated_only.stdout  # MYCaW: no site licence recorded

    refused = kiosk("pain", "--out", str(tmp_path / "pain.pdf"))
    assert refused.returncode == 2
    assert "kiosk forms enable mycaw --licence REF" in refused.stderr
    assert not (tmp_path / "pain.pdf").exists()
