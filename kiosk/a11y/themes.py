"""Colour themes (default, high contrast) and large text, generated from one colour table per theme.

The colour table is the single source of truth: the stylesheet and the palette are generated
from it, and `color_pairs()` reads the same table, so the contrast test checks exactly what
the kiosk applies (EN 301 549 11.1.4.3 text ≥ 4.5:1, 3:1 large; 11.1.4.11 controls ≥ 3:1).

Large text (EN 301 549 5.1.4): a capital H must subtend 0.7° at the viewing distance, i.e.
≥ 7.3 mm at 600 mm. The pixel size follows from the configured screen diagonal and
resolution (`[kiosk] screen_diagonal_in`, `screen_width_px`, `screen_height_px`,
`viewing_distance_mm`), not from the DPI the display reports, which on kiosk panels is
often wrong. Touch targets are at least 9 mm (11.2.5) by the same arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication

__all__ = [
    "THEMES",
    "ScreenGeometry",
    "ColorPair",
    "contrast_ratio",
    "relative_luminance",
    "color_pairs",
    "stylesheet",
    "palette",
    "apply_theme",
    "large_text_pixel_size",
    "MIN_TEXT_CONTRAST",
    "MIN_LARGE_TEXT_CONTRAST",
    "MIN_CONTROL_CONTRAST",
]

MIN_TEXT_CONTRAST = 4.5
MIN_LARGE_TEXT_CONTRAST = 3.0
MIN_CONTROL_CONTRAST = 3.0
#: 0.7° at 600 mm: 2 * 600 * tan(0.35°) = 7.33 mm
MIN_CAP_HEIGHT_MM = 7.3
MIN_TARGET_MM = 9.0

_DEFAULT = {
    "window": "#FFFFFF",
    "text": "#1A1A1A",
    "muted_text": "#4A4A4A",
    "error_text": "#B00020",
    "button": "#E8EEF6",
    "button_text": "#0B2545",
    "button_border": "#4F6379",
    "primary": "#0B4F9C",
    "primary_text": "#FFFFFF",
    "input": "#FFFFFF",
    "input_text": "#1A1A1A",
    "input_border": "#5C5C5C",
    "placeholder": "#5E5E5E",
    "disabled_text": "#5F5F5F",
    "disabled_button": "#F2F2F2",
    "selection": "#0B4F9C",
    "selection_text": "#FFFFFF",
    "focus": "#C2185B",
    "indicator": "#0B2545",
    "indicator_text": "#FFFFFF",
    "heading_text": "#0B2E4F",
    "header": "#0B4F8A",
    "header_text": "#FFFFFF",
    "header_button": "#FFFFFF",
    "header_button_text": "#0B4F8A",
    "header_button_border": "#FFFFFF",
    "header_focus": "#FFD400",
    "warning": "#FFF1B8",
    "warning_text": "#3D2F00",
    "warning_border": "#8A6D00",
    "notice": "#E7F0FA",
    "notice_text": "#1A1A1A",
    "notice_border": "#0B4F8A",
    "error_box": "#FDE8E8",
    "error_box_text": "#7A0000",
    "error_border": "#A30000",
    "tile": "#0B4F8A",
    "tile_text": "#FFFFFF",
    "keyboard": "#DCDCDC",
    "readonly": "#ECECEC",
}

_HIGH_CONTRAST = {
    "window": "#000000",
    "text": "#FFFFFF",
    "muted_text": "#E0E0E0",
    "error_text": "#FF9E9E",
    "button": "#000000",
    "button_text": "#FFFF00",
    "button_border": "#FFFF00",
    "primary": "#FFFF00",
    "primary_text": "#000000",
    "input": "#000000",
    "input_text": "#FFFFFF",
    "input_border": "#FFFFFF",
    "placeholder": "#C8C8C8",
    "disabled_text": "#A8A8A8",
    "disabled_button": "#000000",
    "selection": "#00FFFF",
    "selection_text": "#000000",
    "focus": "#00FFFF",
    "indicator": "#FFFF00",
    "indicator_text": "#000000",
    "heading_text": "#FFFFFF",
    "header": "#000000",
    "header_text": "#FFFFFF",
    "header_button": "#000000",
    "header_button_text": "#FFFF00",
    "header_button_border": "#FFFF00",
    "header_focus": "#00FFFF",
    "warning": "#FFFF00",
    "warning_text": "#000000",
    "warning_border": "#000000",
    "notice": "#000000",
    "notice_text": "#FFFFFF",
    "notice_border": "#00FFFF",
    "error_box": "#000000",
    "error_box_text": "#FF9E9E",
    "error_border": "#FF9E9E",
    "tile": "#000000",
    "tile_text": "#FFFF00",
    "keyboard": "#1A1A1A",
    "readonly": "#1A1A1A",
}

THEMES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"default": MappingProxyType(_DEFAULT), "high_contrast": MappingProxyType(_HIGH_CONTRAST)}
)


@dataclass(frozen=True)
class ColorPair:
    """Two colours of a theme that must be told apart, and the minimum ratio between them."""

    what: str
    foreground: str  # colour table key
    background: str  # colour table key
    kind: str  # "text", "large_text" or "control"

    @property
    def minimum(self) -> float:
        return {"text": MIN_TEXT_CONTRAST, "large_text": MIN_LARGE_TEXT_CONTRAST}.get(
            self.kind, MIN_CONTROL_CONTRAST
        )


#: every text/control colour pair the stylesheet below produces
PAIRS: tuple[ColorPair, ...] = (
    ColorPair("body text", "text", "window", "text"),
    ColorPair("secondary text", "muted_text", "window", "text"),
    ColorPair("error message", "error_text", "window", "text"),
    ColorPair("button label", "button_text", "button", "text"),
    ColorPair("primary button label", "primary_text", "primary", "text"),
    ColorPair("field text", "input_text", "input", "text"),
    ColorPair("field placeholder", "placeholder", "input", "text"),
    ColorPair("unavailable button label", "disabled_text", "disabled_button", "text"),
    ColorPair("selected list item", "selection_text", "selection", "text"),
    ColorPair("status indicator", "indicator_text", "indicator", "text"),
    ColorPair("heading", "heading_text", "window", "text"),
    ColorPair("header title", "header_text", "header", "text"),
    ColorPair("header button label", "header_button_text", "header_button", "text"),
    ColorPair("timeout warning", "warning_text", "warning", "text"),
    ColorPair("notice", "notice_text", "notice", "text"),
    ColorPair("error box", "error_box_text", "error_box", "text"),
    ColorPair("tile label", "tile_text", "tile", "text"),
    ColorPair("keyboard key label", "button_text", "button", "text"),
    ColorPair("read-only field text", "input_text", "readonly", "text"),
    ColorPair("checked button label", "selection_text", "selection", "text"),
    ColorPair("button outline", "button_border", "window", "control"),
    ColorPair("header button outline against header", "header_button_border", "header", "control"),
    ColorPair("focus ring in header", "header_focus", "header", "control"),
    ColorPair("timeout warning edge", "warning_border", "warning", "control"),
    ColorPair("notice edge", "notice_border", "notice", "control"),
    ColorPair("error box edge", "error_border", "error_box", "control"),
    ColorPair("tile outline against page", "button_border", "window", "control"),
    ColorPair("key outline against keyboard", "button_border", "keyboard", "control"),

    ColorPair("primary button against page", "primary", "window", "control"),
    ColorPair("field outline", "input_border", "window", "control"),
    ColorPair("focus ring against page", "focus", "window", "control"),
    ColorPair("focus ring against button", "focus", "button", "control"),
    ColorPair("focus ring against field", "focus", "input", "control"),
    ColorPair("selection against list", "selection", "input", "control"),
)


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str | QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour."""
    c = QColor(color)
    if not c.isValid():
        raise ValueError(f"not a colour: {color!r}")
    return 0.2126 * _channel(c.redF()) + 0.7152 * _channel(c.greenF()) + 0.0722 * _channel(c.blueF())


def contrast_ratio(fg: str | QColor, bg: str | QColor) -> float:
    """WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05), from 1 to 21."""
    a, b = relative_luminance(fg), relative_luminance(bg)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def color_pairs(theme: str) -> list[tuple[ColorPair, str, str, float]]:
    """(pair, fg colour, bg colour, ratio) for every pair the theme's stylesheet uses."""
    table = THEMES[theme]
    return [(p, table[p.foreground], table[p.background], contrast_ratio(table[p.foreground], table[p.background]))
            for p in PAIRS]


@dataclass(frozen=True)
class ScreenGeometry:
    """What the large-text arithmetic assumes about the panel and the citizen's eyes."""

    diagonal_in: float = 10.1
    width_px: int = 1280
    height_px: int = 800
    viewing_distance_mm: float = 600.0

    @classmethod
    def from_width_mm(cls, width_mm: float, width_px: int, height_px: int,
                      viewing_distance_mm: float = 600.0) -> "ScreenGeometry":
        """From the panel's active-area width (KIOSK's `[kiosk] screen_width_mm`), square pixels assumed."""
        diagonal_mm = width_mm * math.hypot(width_px, height_px) / width_px
        return cls(diagonal_mm / 25.4, width_px, height_px, viewing_distance_mm)

    def __post_init__(self) -> None:
        if self.diagonal_in <= 0 or self.width_px <= 0 or self.height_px <= 0 or self.viewing_distance_mm <= 0:
            raise ValueError("screen geometry values must be positive")

    @property
    def px_per_mm(self) -> float:
        return math.hypot(self.width_px, self.height_px) / (self.diagonal_in * 25.4)

    @property
    def min_cap_height_mm(self) -> float:
        """0.7° of visual angle at the viewing distance (7.33 mm at 600 mm)."""
        return 2 * self.viewing_distance_mm * math.tan(math.radians(0.35))

    def mm_to_px(self, mm: float) -> int:
        return math.ceil(mm * self.px_per_mm)


def _cap_height_ratio(font: QFont | None = None) -> float:
    """Cap height / pixel size of the font really used (about 0.72 for DejaVu Sans)."""
    f = QFont(font) if font is not None else (QApplication.font() if QApplication.instance() else QFont())
    f.setPixelSize(100)
    cap = QFontMetricsF(f).capHeight()
    return cap / 100 if cap > 0 else 0.7


def large_text_pixel_size(geometry: ScreenGeometry, font: QFont | None = None) -> int:
    """The smallest pixel size whose capital H is ≥ 0.7° tall at the viewing distance."""
    cap_px = max(geometry.min_cap_height_mm, MIN_CAP_HEIGHT_MM) * geometry.px_per_mm
    return math.ceil(cap_px / _cap_height_ratio(font))


#: body text's capital height: ≈ 0.32° at 600 mm, well above print-size reading text and small
#: enough that every page fits a 10" panel unclipped; large text (A+) is there for whoever
#: needs more (5.1.4 asks 7.3 mm of it)
NORMAL_CAP_HEIGHT_MM = 3.3


def normal_pixel_size(geometry: ScreenGeometry) -> int:
    """Body text: 3.3 mm capitals at arm's length (see NORMAL_CAP_HEIGHT_MM)."""
    return math.ceil(NORMAL_CAP_HEIGHT_MM * geometry.px_per_mm / 0.7)


def stylesheet(theme: str, large_text: bool = False, geometry: ScreenGeometry | None = None) -> str:
    """The application stylesheet, generated from the theme's colour table."""
    c = THEMES[theme]
    g = geometry or ScreenGeometry()
    size = large_text_pixel_size(g) if large_text else normal_pixel_size(g)
    target = g.mm_to_px(MIN_TARGET_MM)
    # large text is already at the 0.7° minimum everywhere; headings grow less so screens still fit
    grow = (lambda k: 1.0 + (k - 1.0) * 0.25) if large_text else (lambda k: k)
    ring = max(3, g.mm_to_px(0.6))
    # a focused button's thicker ring takes from its padding: focus moving never resizes a
    # button (a focused welcome tile grew taller than the others)
    focus_pad = f"{max(0, 4 - (ring - 2))}px {max(0, 12 - (ring - 2))}px"
    tile_px = int(size * grow(1.2))
    # every welcome tile as tall as a two-line label needs (a stylesheet's min-height is the
    # content box: two lines of ≈ 1.2 em): a one-line tile must not shrink beside the others,
    # and none is lower than the 120 px (with padding and border) the unthemed kiosk gives them
    tile_height = max(108, math.ceil(2 * 1.2 * tile_px) + 8)
    return f"""
QWidget {{ background-color: {c['window']}; color: {c['text']}; font-size: {size}px; }}
QLabel[role="muted"] {{ color: {c['muted_text']}; }}
QLabel[role="error"] {{ color: {c['error_text']}; font-weight: bold; }}
QPushButton, QToolButton {{
    background-color: {c['button']}; color: {c['button_text']};
    border: 2px solid {c['button_border']}; border-radius: 6px;
    min-height: {target}px; min-width: {target}px; padding: 4px 12px;
}}
QPushButton[primary="true"] {{ background-color: {c['primary']}; color: {c['primary_text']}; border-color: {c['primary']}; }}
QPushButton:disabled, QToolButton:disabled {{ background-color: {c['disabled_button']}; color: {c['disabled_text']}; border-color: {c['disabled_text']}; }}
QPushButton:focus, QToolButton:focus {{ border: {ring}px solid {c['focus']}; padding: {focus_pad}; }}
QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox {{
    background-color: {c['input']}; color: {c['input_text']};
    border: 2px solid {c['input_border']}; min-height: {target}px;
    selection-background-color: {c['selection']}; selection-color: {c['selection_text']};
}}
QLineEdit:focus, QTextEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QAbstractSpinBox:focus {{ border: {ring}px solid {c['focus']}; }}
QAbstractItemView {{ background-color: {c['input']}; color: {c['input_text']}; border: 2px solid {c['input_border']}; }}
QAbstractItemView:focus {{ border: {ring}px solid {c['focus']}; }}
QAbstractItemView::item {{ min-height: {target}px; }}
QAbstractItemView::item:selected {{ background-color: {c['selection']}; color: {c['selection_text']}; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: {target // 2}px; height: {target // 2}px; border: 2px solid {c['input_border']}; background-color: {c['input']}; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background-color: {c['selection']}; }}
QCheckBox:focus, QRadioButton:focus {{ border: {ring}px solid {c['focus']}; }}
QPushButton:checked {{ background-color: {c['selection']}; color: {c['selection_text']}; }}
QPushButton[kind="tile"] {{ background-color: {c['tile']}; color: {c['tile_text']}; border-color: {c['button_border']}; font-size: {tile_px}px; font-weight: bold; min-height: {tile_height}px; }}
QPushButton[kind="primary"] {{ background-color: {c['primary']}; color: {c['primary_text']}; border-color: {c['primary']}; font-size: {int(size * grow(1.2))}px; font-weight: bold; }}
QPushButton[kind="list"] {{ text-align: left; padding-left: 20px; }}
QPushButton[kind="smiley"] {{ font-size: {int(size * grow(1.8))}px; }}
QPushButton[kind="key"] {{ padding: 4px; }}
QPushButton[kind="tile"]:focus, QPushButton[kind="primary"]:focus {{ border: {ring}px solid {c['focus']}; padding: {focus_pad}; }}
QLineEdit[readOnly="true"] {{ background-color: {c['readonly']}; }}
#Header {{ background-color: {c['header']}; }}
#Header QLabel {{ background-color: transparent; color: {c['header_text']}; font-weight: bold; font-size: {int(size * grow(1.15))}px; }}
#Header QPushButton {{ background-color: {c['header_button']}; color: {c['header_button_text']}; border: 2px solid {c['header_button_border']}; font-weight: bold; }}
#Header QPushButton:checked {{ background-color: {c['selection']}; color: {c['selection_text']}; }}
#Header QPushButton:focus {{ border: {ring}px solid {c['header_focus']}; padding: {focus_pad}; }}
#TimeoutWarning {{ background-color: {c['warning']}; border-bottom: 3px solid {c['warning_border']}; }}
#TimeoutWarning QLabel {{ background-color: transparent; color: {c['warning_text']}; font-weight: bold; }}
#LeaveConfirm {{ background-color: {c['warning']}; border-bottom: 3px solid {c['warning_border']}; }}
#LeaveConfirm QLabel {{ background-color: transparent; color: {c['warning_text']}; font-weight: bold; }}
#LeaveConfirm QPushButton[kind="primary"] {{ border: 3px solid {c['warning_border']}; }}
QLabel#Heading {{ color: {c['heading_text']}; font-size: {int(size * grow(1.5))}px; font-weight: bold; }}
QLabel#Subheading {{ color: {c['heading_text']}; font-size: {int(size * grow(1.2))}px; font-weight: bold; }}
QLabel#Office {{ color: {c['muted_text']}; }}
QLabel#Notice {{ background-color: {c['notice']}; color: {c['notice_text']}; border-left: 6px solid {c['notice_border']}; padding: 10px; }}
QLabel#Error {{ background-color: {c['error_box']}; color: {c['error_box_text']}; border-left: 6px solid {c['error_border']}; padding: 10px; font-weight: bold; }}
QLabel#ReceiptNumber {{ color: {c['heading_text']}; font-size: {int(size * grow(2))}px; font-weight: bold; }}
QLabel#ReceiptNumberLarge {{ color: {c['heading_text']}; font-size: {int(size * grow(2.3))}px; font-weight: bold; }}
QLabel#ReceiptCode {{ font-size: {int(size * grow(1.35))}px; font-weight: bold; }}
#OnScreenKeyboard {{ background-color: {c['keyboard']}; }}
QLabel#a11yIndicator {{ background-color: {c['indicator']}; color: {c['indicator_text']}; padding: 4px 8px; }}
"""


def palette(theme: str) -> QPalette:
    """The same colours as a QPalette, for widgets and styles that ignore the stylesheet."""
    c = THEMES[theme]
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: c["window"],
        QPalette.ColorRole.WindowText: c["text"],
        QPalette.ColorRole.Base: c["input"],
        QPalette.ColorRole.AlternateBase: c["input"],
        QPalette.ColorRole.Text: c["input_text"],
        QPalette.ColorRole.PlaceholderText: c["placeholder"],
        QPalette.ColorRole.Button: c["button"],
        QPalette.ColorRole.ButtonText: c["button_text"],
        QPalette.ColorRole.Highlight: c["selection"],
        QPalette.ColorRole.HighlightedText: c["selection_text"],
        QPalette.ColorRole.ToolTipBase: c["indicator"],
        QPalette.ColorRole.ToolTipText: c["indicator_text"],
        QPalette.ColorRole.Link: c["primary"] if theme == "high_contrast" else c["button_text"],
    }
    for role, colour in roles.items():
        p.setColor(QPalette.ColorGroup.All, role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(c["disabled_text"]))
    return p


def apply_theme(app: QApplication, name: str, large_text: bool = False,
                geometry: ScreenGeometry | None = None) -> None:
    """Apply a theme (and large text) to the whole application: palette + stylesheet."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; known: {', '.join(THEMES)}")
    app.setPalette(palette(name))
    app.setStyleSheet(stylesheet(name, large_text, geometry))
    app.setProperty("a11y_theme", name)
    app.setProperty("a11y_large_text", large_text)
