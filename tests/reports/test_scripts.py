"""Fonts per script, right-to-left order and shaping, checked below the PDF level."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
import uharfbuzz
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from kiosk.reports import bidi, fonts

pytestmark = pytest.mark.staff

ROOT = Path(__file__).resolve().parents[2]
URDU = "میری کمر میں درد ہے اور میں رات کو سو نہیں سکتا۔ کیا میں ۲ ہفتے بعد کام پر جا سکتا ہوں؟"
ARABIC = "أريد أن أعرف ما هي خياراتي؟ (العلاج) ١٢٣"
BENGALI = "আমার পিঠে ব্যথা। ক্ষমা শ্রী র‍্যাব কী করব?"
WELSH_POLISH = "Dw i eisiau siarad â rhywun: ŵ ŷ Ŵ Ŷ — Boli mnie: ą ę ł ż Ą Ę Ł Ż"


def test_bundled_fonts_are_there_with_their_licence() -> None:
    folder = ROOT / "resources" / "fonts"
    for family in fonts.FAMILIES:
        for file in (family.regular_file, family.bold_file):
            assert (folder / file).is_file(), file
            assert file in (folder / "README.md").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (folder / "LICENSE-Noto.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("text", "family"),
    [
        (WELSH_POLISH, fonts.LATIN),
        (URDU, fonts.ARABIC),
        (ARABIC, fonts.ARABIC),
        (BENGALI, fonts.BENGALI),
    ],
)
def test_each_script_has_a_font_with_every_character(text, family) -> None:
    letters = [c for c in text if c.isalpha()]
    assert all(fonts.family_for(c) is family for c in letters)
    assert fonts.clean_text(text) == text


def test_text_is_split_into_runs_by_script() -> None:
    runs = fonts.split_runs("Pain: درد (back) ব্যথা 10")
    assert [(r.text, r.family.key) for r in runs] == [
        ("Pain: ", "latin"),
        ("درد ", "arabic"),
        ("(back) ", "latin"),
        ("ব্যথা 10", "bengali"),
    ]


@pytest.mark.control("H-21-C3")
def test_characters_no_font_has_are_replaced_visibly() -> None:
    assert fonts.clean_text("ok 🙂 中 \U000f0000 done") == "ok ? ? ? done"
    # Joiners stay (Bengali and Urdu spelling needs them); bidi controls and
    # other invisible formatting go; control characters never reach the PDF.
    assert (
        fonts.clean_text("a\u200cb\u200dc\u202ed\u2066e\x00f\x07g\tx\r\ny")
        == "a\u200cb\u200dcdefg x\ny"
    )


@pytest.mark.parametrize("text", [URDU, ARABIC, BENGALI, WELSH_POLISH])
def test_harfbuzz_finds_a_glyph_for_everything_after_shaping(text) -> None:
    """Each run, shaped in the font chosen for it, uses no missing glyph (gid 0)."""
    for run in fonts.split_runs(text):
        for file in (run.family.regular_file, run.family.bold_file):
            blob = uharfbuzz.Blob.from_file_path(str(fonts.FONT_DIR / file))
            font = uharfbuzz.Font(uharfbuzz.Face(blob))
            buffer = uharfbuzz.Buffer()
            buffer.add_str(run.text)
            buffer.guess_segment_properties()
            uharfbuzz.shape(font, buffer, {})
            glyphs = [info.codepoint for info in buffer.glyph_infos]
            assert glyphs and 0 not in glyphs, (file, run.text)


def test_reportlab_shapes_with_uharfbuzz() -> None:
    assert fonts.shaping_available()


@pytest.mark.parametrize(
    ("kinds", "rtl", "order"),
    [
        # English with two Urdu words: the Urdu words swap places.
        (["L", "N", "AL", "N", "AL", "N", "L"], False, [0, 1, 4, 3, 2, 5, 6]),
        # Urdu with an English phrase: the phrase keeps its order, the line reverses.
        (["AL", "N", "L", "N", "L", "N", "AL"], True, [6, 5, 2, 3, 4, 1, 0]),
        # A number after Arabic letters stays a unit, to the left of the words.
        (["AL", "N", "EN"], True, [2, 1, 0]),
        (["AL", "N", "EN"], False, [2, 1, 0]),
        # A number after Latin letters joins them.
        (["AL", "N", "L", "N", "EN"], True, [2, 3, 4, 1, 0]),
        # Punctuation between different directions takes the paragraph's.
        (["L", "N", "AL"], True, [2, 1, 0]),
    ],
)
def test_visual_order(kinds, rtl, order) -> None:
    assert bidi.visual_order(bidi.resolve_levels(kinds, rtl)) == order


def test_directions_and_number_parts() -> None:
    assert bidi.base_direction("  (12) درد and more") == "rtl"
    assert bidi.base_direction("12 Pain درد") == "ltr"
    assert bidi.base_direction("12 ?", default="rtl") == "rtl"
    assert bidi.directional_parts("کمرہ12.5،درد") == ["کمرہ", "12.5", "،درد"]
    assert bidi.directional_parts("Room12") == ["Room12"]
    assert bidi.mirrored("(a) [b] «c»") == ")a( ]b[ »c«"


def _pdf_with(text: str, font: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(font, 12)
    canvas.drawString(72, 720, text)
    canvas.save()
    return buffer.getvalue()


def test_the_glyph_check_catches_a_missing_glyph(read_pdf) -> None:
    """The check used on the sheets fails when a font lacks a character."""
    fonts.register_fonts()
    assert ord("中") not in pdfmetrics.getFont(fonts.LATIN.regular).face.charToGlyph
    with pytest.raises(AssertionError):
        read_pdf(_pdf_with("abc 中 def", fonts.LATIN.regular)).assert_no_missing_glyphs()
    read_pdf(_pdf_with("abc def", fonts.LATIN.regular)).assert_no_missing_glyphs()


def test_subset_fonts_load_in_fonttools(summary, read_pdf) -> None:
    from kiosk.reports import takeaway_pdf

    pdf = read_pdf(takeaway_pdf(summary))
    page = pdf.reader.pages[0]
    embedded = 0
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        if "/FontDescriptor" not in font:
            continue  # reportlab's default Helvetica: declared, never used for text
        descriptor = font["/FontDescriptor"].get_object()
        TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))["glyf"]
        embedded += 1
    assert embedded >= 2
    pdf.assert_no_missing_glyphs()


def test_reports_stay_out_of_qt_the_console_and_the_clinic() -> None:
    code = (
        "import sys, kiosk.reports; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6') "
        "or m.startswith(('kiosk.clinic', 'kiosk.ui', 'kiosk.console'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
