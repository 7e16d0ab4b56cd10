"""The kiosk themes: every colour pair meets WCAG contrast, every text size fills
the placeholders, and Qt takes each sheet without a warning."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.theme import (
    TEXT_SIZES,
    apply_theme,
    border_colours,
    color_pairs,
    contrast_ratio,
    sheet_path,
    stylesheet,
)

pytestmark = pytest.mark.ui

THEMES = [pytest.param(False, 4.5, id="standard"), pytest.param(True, 7.0, id="high_contrast")]
SIZES = list(TEXT_SIZES)
NON_TEXT = 3.0


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast_ratio("#fff", "#000") == pytest.approx(21.0)
    # NHS blue on white, a known pair (6.38:1).
    assert contrast_ratio("#005EB8", "#FFFFFF") == pytest.approx(6.38, abs=0.01)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    with pytest.raises(ValueError):
        contrast_ratio("blue", "#FFFFFF")


def test_parser_finds_pairs_and_inherits_from_the_page() -> None:
    qss = """
    /* page */ QWidget { color: #111111; background-color: #EEEEEE; }
    QLabel#a { color: #222222; }
    QPushButton:checked { background: #333333; }
    QScrollBar::handle:vertical { background-color: #444444; }
    QLineEdit { selection-color: #FFFFFF; selection-background-color: #005EB8; }
    """
    assert color_pairs(qss) == [
        ("QWidget", "#111111", "#EEEEEE"),
        ("QLabel#a", "#222222", "#EEEEEE"),
        ("QPushButton:checked", "#111111", "#333333"),
        ("QLineEdit (selection)", "#FFFFFF", "#005EB8"),
    ]
    with pytest.raises(ValueError):
        color_pairs("QLabel { color: #000000; }")


@pytest.mark.control("H-19-C2")
@pytest.mark.parametrize(("high_contrast", "minimum"), THEMES)
def test_every_text_colour_pair_meets_contrast(high_contrast: bool, minimum: float) -> None:
    pairs = color_pairs(stylesheet(high_contrast, "normal"))
    assert len(pairs) >= 10, "the parser found (almost) no colour pairs"
    failures = [
        f"{selector}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"
        for selector, fg, bg in pairs
        if contrast_ratio(fg, bg) < minimum
    ]
    assert not failures, f"below {minimum}:1\n" + "\n".join(failures)


@pytest.mark.parametrize(("high_contrast", "minimum"), THEMES)
def test_every_colour_is_hex_so_the_parser_sees_it(high_contrast: bool, minimum: float) -> None:
    qss = re.sub(r"/\*.*?\*/", "", stylesheet(high_contrast, "normal"), flags=re.DOTALL)
    for line in qss.splitlines():
        if re.search(r"\b(color|background(-color)?)\s*:", line):
            assert re.search(r"#[0-9A-Fa-f]{6}\b", line), line


@pytest.mark.control("H-19-C2")
@pytest.mark.parametrize(("high_contrast", "minimum"), THEMES)
def test_borders_and_focus_stand_out_from_the_page(high_contrast: bool, minimum: float) -> None:
    borders = border_colours(stylesheet(high_contrast, "normal"))
    assert any(":focus" in selector for selector, _, _ in borders)
    failures = [
        f"{selector}: {colour} on {page} is {contrast_ratio(colour, page):.2f}:1"
        for selector, colour, page in borders
        if contrast_ratio(colour, page) < NON_TEXT
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high_contrast"])
def test_both_sheets_style_the_same_selectors(high_contrast: bool) -> None:
    def selectors(qss: str) -> list[str]:
        return re.findall(r"([^{}]+)\{", re.sub(r"/\*.*?\*/", "", qss, flags=re.DOTALL))

    standard = [" ".join(s.split()) for s in selectors(stylesheet(False))]
    other = [" ".join(s.split()) for s in selectors(stylesheet(high_contrast))]
    assert standard == other


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high_contrast"])
@pytest.mark.parametrize("text_size", SIZES)
def test_placeholders_are_all_filled(high_contrast: bool, text_size: str) -> None:
    raw = sheet_path(high_contrast).read_text(encoding="utf-8")
    assert "@TEXT@" in raw and "@TITLE@" in raw
    qss = stylesheet(high_contrast, text_size)
    assert "@" not in qss
    assert f"font-size: {TEXT_SIZES[text_size]}px" in qss


def test_unknown_text_size_is_refused() -> None:
    with pytest.raises(ValueError, match="huge"):
        stylesheet(False, "huge")


def _themed(qtbot, high_contrast: bool, text_size: str) -> tuple[QWidget, QLabel, QLabel]:
    widget = QWidget()
    qtbot.addWidget(widget)
    layout = QVBoxLayout(widget)
    title = QLabel("Before your appointment")
    title.setObjectName("title")
    body = QLabel("Your answers are private")
    layout.addWidget(title)
    layout.addWidget(body)
    message = QLabel("")
    message.setObjectName("message")
    layout.addWidget(message)
    for name in ("next", "back"):
        button = QPushButton(name.title())
        button.setObjectName(name)
        layout.addWidget(button)
    choice = QPushButton("Yes")
    choice.setObjectName("option_yes")
    choice.setCheckable(True)
    choice.setChecked(True)
    layout.addWidget(choice)
    apply_theme(widget, high_contrast=high_contrast, text_size=text_size)
    widget.ensurePolished()
    return widget, title, body


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high_contrast"])
def test_text_grows_with_the_size_and_qt_raises_no_warning(qtbot, high_contrast: bool) -> None:
    body_sizes, title_sizes = [], []
    for text_size in SIZES:
        widget, title, body = _themed(qtbot, high_contrast, text_size)
        widget.show()
        widget.grab()  # paint every control once with the sheet
        body_sizes.append(body.font().pixelSize())
        title_sizes.append(title.font().pixelSize())
        assert body.font().pixelSize() == TEXT_SIZES[text_size]
        assert title.font().pixelSize() > body.font().pixelSize()
        assert title.font().bold()
    assert body_sizes == sorted(body_sizes) and len(set(body_sizes)) == len(SIZES)
    assert title_sizes == sorted(title_sizes) and len(set(title_sizes)) == len(SIZES)


def test_theme_applies_to_the_whole_application(qtbot, qapp) -> None:
    previous = qapp.styleSheet()
    try:
        apply_theme(qapp, high_contrast=True, text_size="large")
        label = QLabel("Hello")
        qtbot.addWidget(label)
        label.ensurePolished()
        assert label.font().pixelSize() == TEXT_SIZES["large"]
    finally:
        qapp.setStyleSheet(previous)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high_contrast"])
def test_message_gains_its_bar_only_with_a_problem(qtbot, high_contrast: bool) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    message = QLabel("", widget)
    message.setObjectName("message")
    apply_theme(widget, high_contrast=high_contrast)
    widget.ensurePolished()
    assert message.contentsMargins().left() == 0
    message.setText("Choose one answer, or tap “I don't want to answer”.")
    message.setProperty("problem", True)
    message.setStyleSheet(message.styleSheet())  # the recipe kiosk.qss documents
    assert message.contentsMargins().left() >= 6 + 16
    message.setText("")
    message.setProperty("problem", False)
    message.setStyleSheet(message.styleSheet())
    assert message.contentsMargins().left() == 0
