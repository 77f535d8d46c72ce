"""Accessibility layer of the kiosk: speech mode, keypad, explore-by-touch, themes (EN 301 549)."""

from kiosk.a11y.config import A11yConfig
from kiosk.a11y.controller import AccessibilityController
from kiosk.a11y.keypad import KEY_MAP, Action
from kiosk.a11y.themes import THEMES, apply_theme, contrast_ratio

__all__ = ["AccessibilityController", "A11yConfig", "Action", "KEY_MAP", "THEMES", "apply_theme", "contrast_ratio"]
