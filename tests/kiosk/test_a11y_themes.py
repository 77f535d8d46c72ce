"""Contrast of every theme, large-text size, and the accessible-name walker."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.a11y.audit import missing_accessible_names
from kiosk.a11y.themes import (
    PAIRS,
    THEMES,
    ScreenGeometry,
    apply_theme,
    color_pairs,
    contrast_ratio,
    large_text_pixel_size,
    stylesheet,
)


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # WCAG's own example: #767676 on white is the lightest grey that passes 4.5:1
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") < 4.5
    assert contrast_ratio("#FFFFFF", "#767676") == contrast_ratio("#767676", "#FFFFFF")
    with pytest.raises(ValueError):
        contrast_ratio("not-a-colour", "#FFFFFF")


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_text_and_control_pair_meets_its_minimum(theme):
    failures = [f"{p.what}: {fg} on {bg} = {ratio:.2f} < {p.minimum}"
                for p, fg, bg, ratio in color_pairs(theme) if ratio < p.minimum]
    assert not failures, failures
    assert {p.kind for p in PAIRS} >= {"text", "control"}


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_the_applied_stylesheet_and_palette_use_the_checked_colours(qapp, theme):
    """The pairs come from the same table the stylesheet is generated from: no colour escapes the check."""
    import re

    sheet = stylesheet(theme)
    used = {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}", sheet)}
    checked = {THEMES[theme][key].upper() for p in PAIRS for key in (p.foreground, p.background)}
    assert used <= checked, used - checked
    apply_theme(qapp, theme)
    try:
        assert qapp.styleSheet() == sheet
        pal = qapp.palette()
        ratio = contrast_ratio(pal.color(QPalette.ColorRole.WindowText), pal.color(QPalette.ColorRole.Window))
        assert ratio >= 4.5
        assert pal.color(QPalette.ColorRole.Window) == QColor(THEMES[theme]["window"])
        assert "animation" not in sheet and "blink" not in sheet  # nothing flashes
    finally:
        qapp.setStyleSheet("")
        qapp.setPalette(QApplication.style().standardPalette())


def test_high_contrast_is_really_higher():
    worst = {t: min(r for _, _, _, r in color_pairs(t)) for t in THEMES}
    assert worst["high_contrast"] >= 7.0  # WCAG AAA for every pair
    assert worst["high_contrast"] > worst["default"]


@pytest.mark.parametrize("geometry", [
    ScreenGeometry(10.1, 1280, 800),
    ScreenGeometry(15.6, 1920, 1080),
    ScreenGeometry(21.5, 1920, 1080, viewing_distance_mm=700),
    ScreenGeometry(7.0, 800, 480),
])
def test_large_text_capital_h_is_at_least_0_7_degrees(qapp, geometry):
    size = large_text_pixel_size(geometry)
    font = QFont(qapp.font())
    font.setPixelSize(size)
    cap_mm = QFontMetricsF(font).capHeight() / geometry.px_per_mm
    assert cap_mm >= geometry.min_cap_height_mm >= 7.3
    assert f"font-size: {size}px" in stylesheet("default", large_text=True, geometry=geometry)
    font.setPixelSize(size - 2)
    assert QFontMetricsF(font).capHeight() / geometry.px_per_mm < geometry.min_cap_height_mm + 0.5


def test_geometry_rejects_nonsense():
    with pytest.raises(ValueError):
        ScreenGeometry(0, 1280, 800)


def test_walker_finds_unnamed_interactive_widgets(qtbot):
    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    named = QPushButton("Подай сигнал")
    icon_only = QPushButton()
    icon_only.setObjectName("SearchIcon")
    field = QLineEdit()
    field.setObjectName("Phone")
    labelled = QLineEdit()
    label = QLabel("Телефон")
    label.setBuddy(labelled)
    for w in (named, icon_only, field, label, labelled):
        layout.addWidget(w)
    problems = missing_accessible_names(root)
    assert len(problems) == 2, problems
    assert any("SearchIcon" in p for p in problems) and any("Phone" in p for p in problems)
    icon_only.setAccessibleName("Търсене")
    field.setAccessibleName("Телефон за връзка")
    assert missing_accessible_names(root) == []
