"""Freshly rendered screens still look like the committed docs/screenshots PNGs.

The screens are drawn by tools/screenshots.py's own code (``make screenshots``
runs it under Xvfb, these tests offscreen) and compared with a tolerance, never
pixel for pixel, so that a different FreeType or Qt patch release smoothing a
glyph edge differently is not a failure, while a changed layout, colour, text
size or font is. When a screen is changed on purpose, run ``make screenshots``
and commit the new PNGs with the change.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QWidget

from kiosk.ui import theme
from kiosk.ui.kiosk_window import KioskWindow

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"

# Measured on Debian 12 (PySide6 6.11): Xvfb and offscreen renders are identical;
# the closest real change sampled, large text against normal on the thank-you
# screen, is a mean of 5.0 with 3.3% of pixels changed; full instead of light
# hinting is 2.2 and 2.0%. The limits sit well below those and well above zero.
MAX_MEAN = 1.5  # mean absolute difference per colour channel, out of 255
NOTICEABLE = 16  # a channel that moved less than this (of 255) is edge smoothing
MAX_CHANGED = 0.01  # fraction of pixels with a noticeably changed channel

SAMPLES = [
    ("attract", "normal"),
    ("privacy", "high-contrast"),
    ("question-yes_no", "normal"),
    ("question-scale", "large-text"),
    ("review", "high-contrast"),
    ("pin-pad", "normal"),
    ("check-in", "normal"),
    ("hand-over-confirm", "large-text"),
]


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "kiosk_screenshots_tool", ROOT / "tools" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@dataclass(frozen=True)
class Difference:
    mean: float
    changed: float

    @property
    def within_tolerance(self) -> bool:
        return self.mean <= MAX_MEAN and self.changed <= MAX_CHANGED

    def __str__(self) -> str:
        return (
            f"mean channel difference {self.mean:.3f} (limit {MAX_MEAN}), "
            f"{self.changed:.3%} of pixels changed (limit {MAX_CHANGED:.0%})"
        )


def difference(first: QImage, second: QImage) -> Difference:
    """How far apart two images of the same size are."""
    assert first.size() == second.size(), f"{first.size()} is not {second.size()}"
    # Qt computes |a - b| per channel itself; numpy is not a dependency.
    canvas = first.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(canvas)
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Difference)
    painter.drawImage(0, 0, second.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied))
    painter.end()
    # R, G, B, then an always-0xFF padding byte, whatever the machine's byte order.
    diff = canvas.convertToFormat(QImage.Format.Format_RGBX8888)
    pixels = diff.width() * diff.height()
    data = bytes(diff.constBits())[: pixels * 4]
    mean = (sum(data) - 0xFF * pixels) / (3 * pixels)
    # Map each byte to 1 if it moved noticeably, else 0: the padding byte always
    # becomes 1, so an unchanged pixel reads exactly 00 00 00 01, and that pattern
    # can only match on a pixel boundary.
    noticed = bytes(int(value > NOTICEABLE) for value in range(256))
    unchanged = data.translate(noticed).count(b"\0\0\0\1")
    return Difference(mean, 1 - unchanged / pixels)


def committed(name: str) -> QImage:
    path = SHOTS / name
    image = QImage(str(path))
    assert not image.isNull(), f"{path} is missing or unreadable; run `make screenshots`"
    return image


@pytest.fixture(scope="module")
def kiosk(qapp: Any) -> Iterator[KioskWindow]:
    with tool.kiosk() as window:
        yield window


def render(window: KioskWindow, scene: str, variant: str) -> QImage:
    return tool.render(window, tool.scene(scene), tool.variant(variant))


@pytest.mark.parametrize(("scene", "variant"), SAMPLES, ids=[f"{s}-{v}" for s, v in SAMPLES])
def test_a_screen_looks_like_its_committed_png(
    kiosk: KioskWindow, scene: str, variant: str, tmp_path: Path
) -> None:
    name = tool.file_name(tool.scene(scene), tool.variant(variant))
    image = render(kiosk, scene, variant)
    assert (image.width(), image.height()) == tool.SIZE
    found = difference(image, committed(name))
    if not found.within_tolerance:
        image.save(str(tmp_path / name))
    assert found.within_tolerance, (
        f"{name}: {found}. This run's render is {tmp_path / name}; "
        "if the change is meant, run `make screenshots` and commit the PNGs."
    )


@pytest.mark.parametrize(
    ("scene", "variant", "against"),
    [("attract", "high-contrast", "normal"), ("privacy", "large-text", "normal")],
)
def test_the_comparison_notices_another_look(
    kiosk: KioskWindow, scene: str, variant: str, against: str
) -> None:
    image = render(kiosk, scene, variant)
    found = difference(image, committed(tool.file_name(tool.scene(scene), tool.variant(against))))
    assert found.mean > MAX_MEAN and found.changed > MAX_CHANGED, str(found)


def test_the_difference_measures_what_it_says(qapp: Any) -> None:
    white = QImage(100, 100, QImage.Format.Format_RGB32)
    white.fill(QColor("#FFFFFF"))
    assert difference(white, white) == Difference(0.0, 0.0)
    spotted = white.copy()
    painter = QPainter(spotted)
    painter.fillRect(0, 0, 10, 10, QColor("#FF00FF"))  # green channel off by 255
    painter.fillRect(10, 0, 10, 10, QColor("#FFFFF8"))  # blue off by 7: smoothing
    painter.end()
    found = difference(white, spotted)
    assert found.changed == pytest.approx(100 / 10_000)
    assert found.mean == pytest.approx((100 * 255 + 100 * 7) / 30_000)


def test_the_theme_draws_with_the_bundled_font(qapp: Any) -> None:
    for name in theme.FONT_FILES:
        assert (theme.FONT_DIR / name).is_file(), name
    assert list(theme.FONT_DIR.glob("LICENSE*")), "the font's licence must travel with it"
    assert theme.load_fonts()
    assert theme.FONT_FAMILY in QFontDatabase.families()
    for high_contrast in (False, True):
        assert f'font-family: "{theme.FONT_FAMILY}"' in theme.stylesheet(high_contrast)
    font = QGuiApplication.font()
    assert font.hintingPreference() == QFont.HintingPreference.PreferVerticalHinting
    assert font.styleStrategy() & QFont.StyleStrategy.NoSubpixelAntialias


def test_a_missing_font_is_logged_and_the_kiosk_goes_on(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Fresh bookkeeping, so the real font (already registered) is looked for again.
    monkeypatch.setattr(theme, "FONT_DIR", tmp_path)
    monkeypatch.setattr(theme, "_font_ids", {})
    monkeypatch.setattr(theme, "_reported", set())
    widget = QWidget()
    with caplog.at_level(logging.WARNING, logger=theme.__name__):
        theme.apply_theme(widget)
        theme.apply_theme(widget, high_contrast=True)
    assert theme.load_fonts() is False
    warnings = [r.getMessage() for r in caplog.records if r.name == theme.__name__]
    assert len(warnings) == len(theme.FONT_FILES), "each missing file is reported once"
    assert all("using the system font" in message for message in warnings)
    assert widget.styleSheet() == theme.stylesheet(high_contrast=True)
