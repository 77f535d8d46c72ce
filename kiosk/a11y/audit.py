"""Walk a widget tree and find interactive widgets that Qt's accessibility tree cannot name."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QWidget

from kiosk.a11y.describe import is_interactive

__all__ = ["missing_accessible_names", "accessible_name_of", "accessible_role_of"]

_NO_ROLES = {QAccessible.Role.NoRole, QAccessible.Role.Client}


def accessible_name_of(widget: QWidget) -> str:
    """The name assistive technology sees (Qt derives it from setAccessibleName, text or a buddy label)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is None or not iface.isValid():
        return widget.accessibleName()
    return (iface.text(QAccessible.Text.Name) or "").strip()


def accessible_role_of(widget: QWidget) -> QAccessible.Role:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.role() if iface is not None and iface.isValid() else QAccessible.Role.NoRole


def missing_accessible_names(widget: QWidget) -> list[str]:
    """One line per interactive widget (including `widget` itself) that has no accessible name or role.

    Hidden widgets are walked too: a screen's pages that are not shown yet must be named as well.
    """
    problems: list[str] = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if not is_interactive(w) or w.property("a11y_skip"):
            continue
        where = f"{type(w).__name__}(objectName={w.objectName()!r}) in {type(w.window()).__name__}"
        parent = w.parentWidget()
        if parent is not None:
            where += f" under {type(parent).__name__}({parent.objectName()!r})"
        if not accessible_name_of(w):
            problems.append(f"{where}: no accessible name")
        elif accessible_role_of(w) in _NO_ROLES:
            problems.append(f"{where}: no accessible role")
    return problems
