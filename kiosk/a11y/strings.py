"""The words the kiosk speaks about its own controls, through the kiosk's Qt translations.

Like every text a citizen reads or hears, a spoken phrase is an English source string in the
kiosk's catalogue (kiosk/i18n/kiosk_bg.ts, context "Speech"), and its Bulgarian comes from there.
The catalogue is asked through the translator of the language wanted (`kiosk.i18n.translated`),
not the one installed at that instant: on a language switch the kiosk announces the new
language's name in that language, and a phrase is sometimes built before the screens follow.

One phrase has a context of its own: the language's name in itself ("English", "Български"),
context "Language", because the English keyboard layout is "English" too, and in Bulgarian the
two differ ("Български", "английска").

Characters: letters and digits are passed to the speech engine as they are (it names them in its
voice's language); the few other characters the keyboard types are named with words of the
catalogue like any other phrase ("dash" → "тире"), since which word the kiosk says for "@" is
wording a translator chooses, not a fact about the alphabet. So nothing here is a per-language
table: this module only maps ids and characters to English source strings.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from kiosk.i18n import translated

SPEECH = "Speech"
LANGUAGE = "Language"

#: every spoken phrase of the accessibility layer: id → English source (context "Speech");
#: {placeholders} are filled after translation
PHRASES: dict[str, str] = {
    # roles
    "button": QT_TRANSLATE_NOOP("Speech", "button"),
    "toggle_button": QT_TRANSLATE_NOOP("Speech", "toggle button"),
    "checkbox": QT_TRANSLATE_NOOP("Speech", "check box"),
    "radio": QT_TRANSLATE_NOOP("Speech", "radio button"),
    "text_field": QT_TRANSLATE_NOOP("Speech", "text field"),
    "password_field": QT_TRANSLATE_NOOP("Speech", "code field"),
    "combo": QT_TRANSLATE_NOOP("Speech", "drop-down list"),
    "list": QT_TRANSLATE_NOOP("Speech", "list"),
    "list_item": QT_TRANSLATE_NOOP("Speech", "list item"),
    "spin": QT_TRANSLATE_NOOP("Speech", "number field"),
    "slider": QT_TRANSLATE_NOOP("Speech", "slider"),
    "link": QT_TRANSLATE_NOOP("Speech", "link"),
    "text": QT_TRANSLATE_NOOP("Speech", "text"),
    "tab": QT_TRANSLATE_NOOP("Speech", "tab"),
    # states
    "checked": QT_TRANSLATE_NOOP("Speech", "checked"),
    "unchecked": QT_TRANSLATE_NOOP("Speech", "not checked"),
    "selected": QT_TRANSLATE_NOOP("Speech", "selected"),
    "not_selected": QT_TRANSLATE_NOOP("Speech", "not selected"),
    #: a toggle button's state
    "pressed": QT_TRANSLATE_NOOP("Speech", "on"),
    #: a toggle button's state
    "not_pressed": QT_TRANSLATE_NOOP("Speech", "off"),
    "unavailable": QT_TRANSLATE_NOOP("Speech", "unavailable"),
    "empty": QT_TRANSLATE_NOOP("Speech", "empty"),
    "required": QT_TRANSLATE_NOOP("Speech", "required"),
    #: an item's place in a list
    "position": QT_TRANSLATE_NOOP("Speech", "{index} of {count}"),
    #: the count after a colon, so that no noun has to agree with it
    "chars_entered": QT_TRANSLATE_NOOP("Speech", "characters entered: {count}"),
    #: a hidden character of a code, spoken instead of it
    "star": QT_TRANSLATE_NOOP("Speech", "star"),
    #: {what}: the characters deleted, or "star"
    "deleted": QT_TRANSLATE_NOOP("Speech", "deleted {what}"),
    "nothing_to_delete": QT_TRANSLATE_NOOP("Speech", "nothing to delete"),
    "hidden_private": QT_TRANSLATE_NOOP("Speech", "personal data, headset only"),
    "private_needs_headset": QT_TRANSLATE_NOOP(
        "Speech", "Personal data is read only through a headset. Plug a headset into the jack."),
    # modes and settings
    "speech_on": QT_TRANSLATE_NOOP(
        "Speech", "Speech mode on. Arrows or 2, 4, 6, 8 move, 5 or Enter selects, F1 help."),
    "speech_off": QT_TRANSLATE_NOOP("Speech", "Speech mode off."),
    "volume": QT_TRANSLATE_NOOP("Speech", "Volume {step} of {steps}"),
    "rate": QT_TRANSLATE_NOOP("Speech", "Rate {step} of {steps}"),
    "paused": QT_TRANSLATE_NOOP("Speech", "Paused."),
    "high_contrast_on": QT_TRANSLATE_NOOP("Speech", "High contrast on."),
    "high_contrast_off": QT_TRANSLATE_NOOP("Speech", "High contrast off."),
    "large_text_on": QT_TRANSLATE_NOOP("Speech", "Large text on."),
    "large_text_off": QT_TRANSLATE_NOOP("Speech", "Large text off."),
    #: the language's own name in itself, announced when the citizen switches to it
    "language_name": QT_TRANSLATE_NOOP("Language", "English"),
    "headset_in": QT_TRANSLATE_NOOP("Speech", "Headset connected."),
    "headset_out": QT_TRANSLATE_NOOP(
        "Speech", "Headset removed. Speech continues on the speaker, without personal data."),
    "no_help": QT_TRANSLATE_NOOP("Speech", "No further help for this screen."),
    "back": QT_TRANSLATE_NOOP("Speech", "Back."),
    # the on-screen keyboard from the keypad (keyboard mode)
    "kbd_on": QT_TRANSLATE_NOOP(
        "Speech", "Keyboard. Arrows or 2, 4, 6, 8 choose a key, 5 or Enter types it, Clear deletes, "
                  "Back or Done closes, F2 reads what you typed."),
    "kbd_off": QT_TRANSLATE_NOOP("Speech", "Keyboard closed."),
    "kbd_no_field": QT_TRANSLATE_NOOP("Speech", "The keyboard is for text fields. Move to a field first."),
    "kbd_text_so_far": QT_TRANSLATE_NOOP("Speech", "Typed: {text}"),
    #: the keyboard's space bar, and the space character
    "key_space": QT_TRANSLATE_NOOP("Speech", "space"),
    #: the keyboard's key that deletes the last character
    "key_backspace": QT_TRANSLATE_NOOP("Speech", "delete"),
    #: the keyboard's shift key
    "key_shift": QT_TRANSLATE_NOOP("Speech", "capitals"),
    "key_shift_on": QT_TRANSLATE_NOOP("Speech", "capitals on"),
    "key_shift_off": QT_TRANSLATE_NOOP("Speech", "capitals off"),
    "key_done": QT_TRANSLATE_NOOP("Speech", "done"),
    #: {name}: a keyboard layout's name
    "key_layout": QT_TRANSLATE_NOOP("Speech", "change layout, {name}"),
    "layout_now": QT_TRANSLATE_NOOP("Speech", "layout {name}"),
    #: {letter}: a capital letter, given in lower case so that the engine says the letter
    "capital": QT_TRANSLATE_NOOP("Speech", "capital {letter}"),
    #: keyboard layouts' names, after "change layout," and "layout"
    "layout_bg_phonetic": QT_TRANSLATE_NOOP("Speech", "Bulgarian phonetic"),
    "layout_bg_bds": QT_TRANSLATE_NOOP("Speech", "Bulgarian BDS"),
    #: the English keyboard layout's name ("английска" in Bulgarian, not the language's own name)
    "layout_en": QT_TRANSLATE_NOOP("Speech", "English"),
    # timeouts
    "timeout_warning": QT_TRANSLATE_NOOP(
        "Speech", "The session ends in {seconds} seconds. Press any key to continue."),
    "timeout_extended": QT_TRANSLATE_NOOP("Speech", "Time extended."),
    "timed_out": QT_TRANSLATE_NOOP("Speech", "The session has ended. Personal data was erased."),
    "finished": QT_TRANSLATE_NOOP("Speech", "Finished. Your personal data was erased. Speech is off."),
    # said, without the name, when the ID card is read (anyone may be listening)
    "card_read": QT_TRANSLATE_NOOP("Speech", "The ID card is read."),
    # the visible indicator and switches in the header
    "ind_speech": QT_TRANSLATE_NOOP("Speech", "Speech"),
    "ind_contrast": QT_TRANSLATE_NOOP("Speech", "Contrast"),
    "ind_large": QT_TRANSLATE_NOOP("Speech", "Large text"),
    "ind_name": QT_TRANSLATE_NOOP("Speech", "Accessibility status"),
    #: a switch's label; in large text only its first word is shown
    "btn_contrast": QT_TRANSLATE_NOOP("Speech", "◐ Contrast"),
    "btn_contrast_name": QT_TRANSLATE_NOOP("Speech", "High contrast"),
    #: a switch's label: the same symbol in every language
    "btn_large": QT_TRANSLATE_NOOP("Speech", "A+"),
    "btn_large_name": QT_TRANSLATE_NOOP("Speech", "Large text"),
}

#: the phrases whose words are the language's own name, in a context of their own
CONTEXTS: dict[str, str] = {"language_name": LANGUAGE}

#: the characters the keyboard types that are spoken by name, not as themselves: character →
#: English source (context "Speech")
CHAR_NAMES: dict[str, str] = {
    "-": QT_TRANSLATE_NOOP("Speech", "dash"),
    ".": QT_TRANSLATE_NOOP("Speech", "dot"),
    ",": QT_TRANSLATE_NOOP("Speech", "comma"),
    #: the character @
    "@": QT_TRANSLATE_NOOP("Speech", "at"),
    "/": QT_TRANSLATE_NOOP("Speech", "slash"),
    " ": QT_TRANSLATE_NOOP("Speech", "space"),
}


def phrase(lang: str, key: str, **values: object) -> str:
    """A phrase in `lang` (Bulgarian when the language is unknown), with {placeholders} filled."""
    return translated(lang, CONTEXTS.get(key, SPEECH), PHRASES[key]).format(**values)


def char_name(lang: str, ch: str) -> str:
    """A character as it is spoken: letters and digits as themselves (the engine names them),
    punctuation and space by name."""
    source = CHAR_NAMES.get(ch)
    return ch if source is None else translated(lang, SPEECH, source)
