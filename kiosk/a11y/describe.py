"""What to say about a widget: "name, role, position, state" in the screen's language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)

from kiosk.a11y.spoken_numbers import reference
from kiosk.a11y.strings import phrase

#: widget property names screens may set (documented in docs/keypad.md)
PROP_MASKED = "masked"  # value never spoken (access code, PIN)
PROP_PRIVATE = "private"  # value spoken only through the headset (ЕГН, address, amounts)
PROP_GROUP = "a11y_group"  # marks a container whose interactive children are counted together
PROP_SKIP = "a11y_skip"  # not part of keypad navigation
PROP_REQUIRED = "required"  # a form field that must be filled in: said with the field, not only in the error
PROP_SPOKEN_HINT = "spoken_hint"  # said for an empty field instead of its placeholder
PROP_SPOKEN_TEXT = "spoken_text"  # said for a text instead of what it shows (a code spelled out)
PROP_SPELLED = "spelled"  # a field's value said character by character (a tracking code: "J J Q две G")
PROP_SPEECH_LANG = "speech_lang"  # a control labelled in another language ("English") is said in that one's voice


def is_masked(widget: QWidget | None) -> bool:
    if widget is None:
        return False
    if bool(widget.property(PROP_MASKED)):
        return True
    return isinstance(widget, QLineEdit) and widget.echoMode() != QLineEdit.EchoMode.Normal


def own_language(widget: QWidget | None) -> str | None:
    """The language a control is labelled and spoken in, when it is not the screen's: the language switch."""
    lang = widget.property(PROP_SPEECH_LANG) if widget is not None else None
    return lang if lang in ("bg", "en") else None


def is_private(widget: QWidget | None) -> bool:
    return widget is not None and bool(widget.property(PROP_PRIVATE))


def is_text_input(widget: QWidget | None) -> bool:
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly()
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return False


def is_interactive(widget: QWidget) -> bool:
    """A control a citizen acts on: it must have a name and be reachable from the keypad."""
    if isinstance(widget, QScrollBar):
        return False  # part of its scroll area, which follows the focus
    if isinstance(widget, (QAbstractButton, QLineEdit, QTextEdit, QPlainTextEdit, QComboBox,
                           QAbstractSpinBox, QAbstractSlider, QAbstractItemView, QTabBar)):
        # a combo box's own line edit and the view inside a combo popup are parts of the combo
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QComboBox):
                return False
            parent = parent.parentWidget()
        return True
    if isinstance(widget, QLabel):
        return bool(widget.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
    return False


def option_group(widget: QWidget | None) -> list[QAbstractButton] | None:
    """The options of the group of choices `widget` is one of (a category, a fee tier, a place:
    checkable buttons of which one is chosen), in the group's order; None if it is not an option.

    Qt keeps only the focused option of such a group in the Tab chain (it strips TabFocus from
    the others as one gets focus, the radio-button convention with arrows inside the group);
    the keypad reaches every option, so the controller asks this instead of the focus policy."""
    if not isinstance(widget, QAbstractButton) or not widget.isCheckable():
        return None
    group = widget.group()
    if group is not None and group.exclusive():
        return list(group.buttons())
    parent = widget.parentWidget()
    if widget.autoExclusive() and parent is not None:
        return [b for b in parent.findChildren(QAbstractButton, options=Qt.FindChildOption.FindDirectChildrenOnly)
                if b.isCheckable() and b.autoExclusive()]
    return None


def is_keypad_stop(widget: QWidget) -> bool:
    """A control the keypad's next/previous reaches: enabled, interactive, focusable from the
    keyboard — or an option of a group of choices, which Qt takes out of the Tab chain."""
    if not widget.isEnabled() or not is_interactive(widget):
        return False
    policy = widget.focusPolicy()
    if policy & Qt.FocusPolicy.TabFocus:
        return True
    return bool(policy & Qt.FocusPolicy.ClickFocus) and option_group(widget) is not None


def is_readable_text(widget: QWidget) -> bool:
    """Static text a blind citizen must be able to reach in speech mode (5.1.3.1), and
    meaningful images: a label with a pixmap is read only if it has an accessible name (5.1.3.6)."""
    if not isinstance(widget, QLabel) or is_interactive(widget) or widget.property(PROP_SKIP):
        return False
    if widget.buddy() is not None:
        return False  # a form label: its field says the name
    if widget.pixmap() is not None and not widget.pixmap().isNull():
        return bool(widget.accessibleName().strip())
    return bool(label_text(widget))


def label_text(label: QLabel) -> str:
    text = label.text()
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocumentFragment

    if GuiQt.mightBeRichText(text):
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    text = " ".join(text.split())
    if not text:
        return label.accessibleName().strip()
    return text


def interactive_ancestor(widget: QWidget | None, top: QWidget | None = None) -> QWidget | None:
    """The control a touch on `widget` belongs to (a label inside a card button → the button)."""
    while widget is not None:
        if is_interactive(widget):
            return widget
        if widget is top:
            return None
        widget = widget.parentWidget()
    return None


def accessible_name(widget: QWidget) -> str:
    name = widget.accessibleName().strip()
    if name:
        return name
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    if isinstance(widget, QGroupBox):
        return widget.title()
    if isinstance(widget, QLineEdit):
        return widget.placeholderText().strip()
    return ""


def role_key(widget: QWidget) -> str:
    if isinstance(widget, QCheckBox):
        return "checkbox"
    if isinstance(widget, QRadioButton):
        return "radio"
    if isinstance(widget, QAbstractButton):
        return "toggle_button" if widget.isCheckable() else "button"
    if isinstance(widget, QLineEdit):
        return "password_field" if is_masked(widget) else "text_field"
    if isinstance(widget, (QTextEdit, QPlainTextEdit)):
        return "text_field"
    if isinstance(widget, QComboBox):
        return "combo"
    if isinstance(widget, QAbstractItemView):
        return "list"
    if isinstance(widget, QAbstractSpinBox):
        return "spin"
    if isinstance(widget, QAbstractSlider):
        return "slider"
    if isinstance(widget, QTabBar):
        return "tab"
    if isinstance(widget, QLabel):
        return "link"
    return "text"


def state_words(widget: QWidget, lang: str) -> list[str]:
    words: list[str] = []
    if option_group(widget) is not None:  # one of a group of choices: chosen or not
        words.append(phrase(lang, "selected" if widget.isChecked() else "not_selected"))
    elif isinstance(widget, QCheckBox):
        words.append(phrase(lang, "checked" if widget.isChecked() else "unchecked"))
    elif isinstance(widget, QRadioButton):
        words.append(phrase(lang, "selected" if widget.isChecked() else "not_selected"))
    elif isinstance(widget, QAbstractButton) and widget.isCheckable():
        words.append(phrase(lang, "pressed" if widget.isChecked() else "not_pressed"))
    if widget.property(PROP_REQUIRED):
        words.append(phrase(lang, "required"))
    if not widget.isEnabled():
        words.append(phrase(lang, "unavailable"))
    return words


def value_text(widget: QWidget, lang: str, private_allowed: bool) -> str:
    """The current value as it may be spoken; masked values never, private ones only if allowed."""
    if isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit)):
        text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
        if not text:
            # a screen may give a hint to speak instead of a placeholder that reads badly aloud
            # ("ДД.ММ.ГГГГ" is "дъдъ мъмъ гъгъгъгъ" to espeak)
            hint = str(widget.property(PROP_SPOKEN_HINT) or "").strip()
            if not hint and isinstance(widget, (QLineEdit, QPlainTextEdit)):
                hint = widget.placeholderText().strip()
            return f"{phrase(lang, 'empty')}, {hint}" if hint else phrase(lang, "empty")
        if is_masked(widget):
            return phrase(lang, "chars_entered", count=len(text))
        if is_private(widget) and not private_allowed:
            return phrase(lang, "hidden_private")
        if widget.property(PROP_SPELLED):
            return reference(text, lang)  # "7G9XSSAE" read as a word is no code anyone can check
        return text
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractSlider):
        return str(widget.value())
    if isinstance(widget, QAbstractItemView):
        return current_item_text(widget, lang)
    return ""


def current_item_text(view: QAbstractItemView, lang: str) -> str:
    model = view.model()
    index = view.currentIndex()
    if model is None or not index.isValid():
        count = model.rowCount() if model is not None else 0
        return phrase(lang, "position", index=0, count=count) if count else phrase(lang, "empty")
    label = index.data(Qt.ItemDataRole.AccessibleTextRole) or index.data(Qt.ItemDataRole.DisplayRole) or ""
    count = model.rowCount(index.parent())
    return f"{label}, {phrase(lang, 'position', index=index.row() + 1, count=count)}"


def group_of(widget: QWidget, top: QWidget) -> QWidget:
    """The container whose focusable children a position is counted among."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QGroupBox) or parent.property(PROP_GROUP):
            return parent
        parent = parent.parentWidget()
    return widget.parentWidget() or top


def position(widget: QWidget, chain: list[QWidget], top: QWidget) -> tuple[int, int] | None:
    """(index, count) among the focusable siblings of the widget's group, in focus order; an
    option of a group of choices among the options of its group."""
    options = option_group(widget)
    if options is not None:
        siblings = [w for w in chain if w in options]
    else:
        # counted among the controls of its own group: not the options of a choice inside it, nor
        # the controls of a group within it (each says its own "1 от 5"), which made a form's
        # fourth field "4 от 17"
        group = group_of(widget, top)
        siblings = [w for w in chain if group.isAncestorOf(w) and is_interactive(w)
                    and option_group(w) is None and group_of(w, top) is group]
    if widget not in siblings or len(siblings) < 2:
        return None
    return siblings.index(widget) + 1, len(siblings)


def describe(widget: QWidget, lang: str, chain: list[QWidget], top: QWidget, private_allowed: bool) -> str:
    """ "Удостоверение за наследници, бутон, 2 от 7" — name, role, [value,] position, state."""
    if isinstance(widget, QLabel) and not is_interactive(widget):
        if is_private(widget) and not private_allowed:
            return phrase(lang, "hidden_private")
        text = widget.property(PROP_SPOKEN_TEXT) or label_text(widget)
        if text.endswith(" *"):  # a field's label marks it required with a star: say the word
            text = f"{text[:-2]}, {phrase(lang, 'required')}"
        return text
    parts: list[str] = []
    name = accessible_name(widget)
    if name:
        parts.append(name)
    if option_group(widget) is not None:
        # "Улично осветление, избрано, 3 от 12": an option says whether it is the chosen one and
        # where it stands among its group, as a screen reader reads a radio group
        parts.extend(state_words(widget, lang)[:1])
        pos = position(widget, chain, top)
        if pos is not None:
            parts.append(phrase(lang, "position", index=pos[0], count=pos[1]))
        parts.extend(state_words(widget, lang)[1:])
        description = widget.accessibleDescription().strip()
        if description:
            parts.append(description)
        return ", ".join(p for p in parts if p)
    parts.append(phrase(lang, role_key(widget)))
    value = value_text(widget, lang, private_allowed)
    if value:
        parts.append(value)
    pos = position(widget, chain, top)
    if pos is not None and not isinstance(widget, QAbstractItemView):
        parts.append(phrase(lang, "position", index=pos[0], count=pos[1]))
    parts.extend(state_words(widget, lang))
    description = widget.accessibleDescription().strip()
    if description:
        parts.append(description)
    return ", ".join(p for p in parts if p)
