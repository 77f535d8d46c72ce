"""Speech mode, focus announcer, keypad filter and explore-by-touch over the kiosk's window.

One controller per window. Everything here runs on the GUI thread; a headset detector may
call `on_headset()` from its own thread, which is re-emitted through a queued signal.

The controller holds what the citizen has set (speech mode, headset, volume, rate, theme) and
speaks: the screens as they open, their announcements, the session's warnings. Its parts:
focus and navigation (navigation.py), values as they change (values.py), the keypad's actions
(actions.py), the event filter and explore-by-touch (input_filter.py), keyboard mode
(keyboard_mode.py). It reaches the window only through kiosk.a11y.window.A11yWindow.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from hardware.speech import STEPS, Priority
from kiosk.a11y import describe as d
from kiosk.a11y.actions import KeypadActions, SyntheticInput
from kiosk.a11y.config import A11yConfig, NoSpeech
from kiosk.a11y.input_filter import InputFilter
from kiosk.a11y.keyboard_mode import KeyboardMode
from kiosk.a11y.keypad import Action, RepeatGuard
from kiosk.a11y.navigation import Navigator
from kiosk.a11y.opening import ScreenOpening
from kiosk.a11y.spoken_numbers import speakable
from kiosk.a11y.strings import phrase
from kiosk.a11y.themes import THEMES, apply_theme
from kiosk.a11y.values import ValueSpeaker
from kiosk.a11y.window import A11yWindow

__all__ = ["AccessibilityController"]

log = logging.getLogger(__name__)

#: screens tell a sighted citizen to "touch" a button; in speech mode the citizen may be on the
#: keypad, so the spoken instructions say "choose" (true of a touch too)
_SPOKEN_VERBS = {"Докоснете": "Изберете", "докоснете": "изберете", "Touch": "Choose", "touch": "choose"}
_SPOKEN_VERB = re.compile(r"\b(?:Докоснете|докоснете|Touch|touch)\b")


def _choose_not_touch(text: str) -> str:
    return _SPOKEN_VERB.sub(lambda m: _SPOKEN_VERBS[m.group(0)], text)


class AccessibilityController(QObject):
    """Makes every screen of `window` speak and work from the keypad.

    `window` implements kiosk.a11y.window.A11yWindow (kiosk.views.main_window.MainWindow);
    `speech` is a hardware.speech Speech, or None on a terminal without one.
    """

    speech_mode_changed = Signal(bool)
    settings_changed = Signal()
    _headset_event = Signal(bool)

    def __init__(self, window: A11yWindow, speech: Any, config: A11yConfig | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        config = config or A11yConfig()
        self.window = window
        self.speech = speech if speech is not None else NoSpeech()
        self.config = config
        self.app = QApplication.instance()
        self.speech_mode = False
        self.headset_plugged = False
        self.private_aloud = config.private_aloud
        self.volume_step = config.default_volume_step
        self.rate_step = config.default_rate_step
        self.theme = config.theme
        self.large_text = config.large_text
        self.last_spoken: tuple | None = None
        self.paused = False
        self._screen: Any = None
        self._spoken_language = self.language
        self._session_was_active = False
        self._ending_message: str | None = None
        self._warning_seconds = 0
        self.opening = ScreenOpening(self)  # kiosk/a11y/opening.py
        self._warning_pending = False
        self._warned = False
        self._reset_done = False

        self.nav = Navigator(window, lambda: self.speech_mode)
        self.values = ValueSpeaker(self.say, lambda: self.language)
        self.synthetic = SyntheticInput()
        #: the on-screen keyboard operated from the keypad (kiosk/a11y/keyboard_mode.py)
        self.kbd = KeyboardMode(self)
        self.actions = KeypadActions(self, self.nav, self.synthetic)
        self.input_filter = InputFilter(self.nav, self.synthetic, RepeatGuard(config.ignore_repeat_seconds, clock),
                                        self.kbd, self.speech, lambda: self.speech_mode, self.perform,
                                        lambda w: self.say_widget(w, priority=Priority.LOW))

        self.switches = window.a11y_switches
        self.switches.contrast_pressed.connect(self.toggle_high_contrast)
        self.switches.large_text_pressed.connect(self.toggle_large_text)
        self._headset_event.connect(self._apply_headset, Qt.ConnectionType.QueuedConnection)
        window.screen_added.connect(self.opening.begin)
        window.screen_changed.connect(self._on_screen_changed)
        window.speech_mode_requested.connect(self.start_speech_mode)
        window.session_ended.connect(self._on_session_end)
        window.identity_changed.connect(self._on_identity_changed)
        window.session_warning.connect(self._on_warning)
        window.session_extended.connect(self._on_extended)
        window.session_timed_out.connect(self._on_timed_out)
        self.app.focusChanged.connect(self._on_focus_changed)
        self.app.installEventFilter(self.input_filter)
        self._apply_speech_settings()
        if config.manage_theme:
            apply_theme(self.app, self.theme, self.large_text, config.geometry)
        self._update_indicator()
        current = window.current_screen()
        if current is not None:
            self._connect_screen(current)
            self.nav.focus_first(current)

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        """Remove the filters and connections (tests build several windows in one process);
        calling it twice is harmless."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        self.kbd.leave(speak=False)
        try:
            self.app.removeEventFilter(self.input_filter)
            self.app.focusChanged.disconnect(self._on_focus_changed)
        except (RuntimeError, TypeError):
            pass
        self.values.unlink()

    @property
    def language(self) -> str:
        lang = self.window.language()
        return lang if lang in ("bg", "en") else "bg"

    # the header's marks, shown by the window (kiosk.views.a11y_switches)
    @property
    def indicator(self):
        return self.switches.indicator

    @property
    def contrast_button(self):
        return self.switches.contrast_button

    @property
    def large_text_button(self):
        return self.switches.large_text_button

    # -- speaking ----------------------------------------------------------------------
    def say(self, text: str, private: bool = False, priority: int = Priority.NORMAL,
            public_text: str | None = None, interrupt: bool = True, asked: bool = False,
            lang: str | None = None) -> None:
        """Speak in the screen's language, if speech mode is on.

        Private text (ЕГН, address, amounts) is handed to the engine as private: it speaks it only
        through the headset and says `public_text` (or its neutral phrase) on the speaker —
        unless the citizen chose to hear private data aloud (5.1.3.9).
        """
        if not (self.speech_mode or asked) or not text:  # asked: a button the citizen pressed to hear it
            return
        if private and self.private_aloud:
            private = False
        lang = lang or self.language
        # numbers as people say them: an ЕГН digit by digit, "2,56 €" as money, dates as dates
        text = speakable(text, lang)
        if public_text:
            public_text = speakable(public_text, lang)
        self.paused = False
        self.last_spoken = (text, private, priority, public_text, lang)
        self.speech.say(text, lang=lang, priority=priority, private=private,
                        public_text=public_text, interrupt=interrupt)

    def describe(self, widget: QWidget, private_allowed: bool | None = None, lang: str | None = None) -> str:
        if private_allowed is None:
            private_allowed = self.headset_plugged or self.private_aloud
        return _choose_not_touch(d.describe(widget, lang or self.language, self.nav.chain(), self.window,
                                            private_allowed))

    def say_widget(self, widget: QWidget, priority: int = Priority.NORMAL, prefix: str = "") -> None:
        """Name, role, value, position, state; a private value only through the headset.

        The language switch ("Switch to English" on a Bulgarian screen) is said whole in the
        language it switches to, by that language's voice: its name is for those who speak it.
        """
        own = d.own_language(widget)
        if own is not None and own != self.language:
            if prefix:
                self.say(prefix, priority=priority)
            self.say(self.describe(widget, lang=own), priority=priority, lang=own, interrupt=not prefix)
            return
        lead = f"{prefix} " if prefix else ""
        full = self.describe(widget, True)
        public = self.describe(widget, False)
        if d.is_private(widget) and full != public and not self.private_aloud:
            self.say(lead + full, private=True, priority=priority, public_text=lead + public)
        else:
            self.say(lead + self.describe(widget), priority=priority)

    def start_speech_mode(self, announce_screen: bool = True) -> None:
        """Audio key, Help key, tactile start key or a headset plugged in (EN 301 549 5.2)."""
        if self.speech_mode:
            return
        self.speech_mode = True
        self._update_indicator()
        self.speech_mode_changed.emit(True)
        parts = [phrase(self.language, "speech_on")]
        screen = self.current_screen()
        if self.nav.focused() is None and screen is not None:
            self.nav.focus_first(screen)
        if announce_screen:
            parts.append(self.screen_intro())
            focused = self.nav.focused()
            if focused is not None:
                parts.append(self.describe(focused))
        self.say(" ".join(p for p in parts if p))

    def stop_speech_mode(self) -> None:
        if not self.speech_mode:
            return
        self.say(phrase(self.language, "speech_off"))
        self.speech_mode = False
        self._update_indicator()
        self.speech_mode_changed.emit(False)

    def allow_private_aloud(self, allowed: bool) -> None:
        """The citizen explicitly chose to hear private data on the speaker (5.1.3.9)."""
        self.private_aloud = allowed

    # -- the keypad --------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        """What a keypad key does; public so a tactile GPIO key can trigger the same actions."""
        self.actions.perform(action)

    def navigation_chain(self) -> list[QWidget]:
        """Every control the keypad can reach on the window, in focus order."""
        return self.nav.chain()

    def move_focus(self, step: int) -> None:
        self.nav.move(step)

    def press_keyboard_key(self, button: QWidget) -> None:
        """Press an on-screen key for keyboard mode; it speaks the result itself."""
        with self.values.quietly():
            self.synthetic.click(button)

    def send_key_to(self, target: QWidget, what: str) -> None:
        """A key for keyboard mode (`backspace`), without the field's own change announcement."""
        with self.values.quietly():
            self.synthetic.key(target, {"backspace": Qt.Key.Key_Backspace}[what])

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        target = self.nav.target_of(new)
        self.kbd.focus_changed(new)
        self.values.follow(target)
        if self.nav.quietly or not self.speech_mode or target is None:
            return
        if self.opening.in_progress:
            # a screen is being put in place: Qt hands the focus on as the old page goes (to the
            # footer's switches, the new page's first button); the screen's title and its first
            # control are said once it is shown, not a stray control before them
            return
        self.say_widget(target)

    # -- headset -------------------------------------------------------------------------
    def on_headset(self, plugged: bool) -> None:
        """Headset listener (hardware.headset); safe to call from a driver thread."""
        self._headset_event.emit(bool(plugged))

    @Slot(bool)
    def _apply_headset(self, plugged: bool) -> None:
        if plugged == self.headset_plugged:
            return
        self.headset_plugged = plugged
        self.speech.set_output("headset" if plugged else "speaker")
        if plugged and not self.speech_mode:
            self.start_speech_mode()
        else:
            self.say(phrase(self.language, "headset_in" if plugged else "headset_out"))
        self._update_indicator()

    # -- settings ------------------------------------------------------------------------
    def _apply_speech_settings(self) -> None:
        # the engine counts steps 0..6; people hear and configure them as 1..7
        self.volume_step = self.speech.set_volume_step(self.volume_step - 1) + 1
        self.rate_step = self.speech.set_rate_step(self.rate_step - 1) + 1

    def change_volume(self, delta: int) -> None:
        self.volume_step = max(1, min(STEPS, self.volume_step + delta))
        self._apply_speech_settings()
        self.say(phrase(self.language, "volume", step=self.volume_step, steps=STEPS))

    def change_rate(self, delta: int) -> None:
        self.rate_step = max(1, min(STEPS, self.rate_step + delta))
        self._apply_speech_settings()
        self.say(phrase(self.language, "rate", step=self.rate_step, steps=STEPS))

    def set_theme(self, name: str, large_text: bool | None = None) -> None:
        if name not in THEMES:
            raise ValueError(f"unknown theme {name!r}")
        changed_contrast = name != self.theme
        changed_large = large_text is not None and large_text != self.large_text
        self.theme = name
        if large_text is not None:
            self.large_text = large_text
        # a screen taller than the panel scrolls its own body (kiosk.views.base.Screen.frame)
        apply_theme(self.app, self.theme, self.large_text, self.config.geometry)
        self._update_indicator()
        self.settings_changed.emit()
        words = []
        if changed_contrast:
            words.append(phrase(self.language, "high_contrast_on" if name == "high_contrast" else "high_contrast_off"))
        if changed_large:
            words.append(phrase(self.language, "large_text_on" if self.large_text else "large_text_off"))
        self.say(" ".join(words))

    def toggle_high_contrast(self) -> None:
        self.set_theme("default" if self.theme == "high_contrast" else "high_contrast")

    def toggle_large_text(self) -> None:
        self.set_theme(self.theme, not self.large_text)

    def switch_language(self) -> None:
        before = self.language
        self.window.toggle_language()
        if self.language != before and self._spoken_language != self.language:
            # no screen rebuild followed the switch: say it here
            self._spoken_language = self.language
            self.say(f"{phrase(self.language, 'language_name')}. {self.screen_intro()}")
        self._update_indicator()

    def reset(self) -> None:
        """Session end: speech mode off, default volume, rate, theme (language: the window resets it)."""
        self._warned = self._warning_pending = False
        self._reset_done = True
        self.volume_step = self.config.default_volume_step
        self.rate_step = self.config.default_rate_step
        self.private_aloud = self.config.private_aloud
        was_speaking = self.speech_mode
        self.speech.reset()  # silence, default rate/volume, nothing left to repeat
        self.kbd.leave(speak=False)
        self.last_spoken = None
        message, self._ending_message = self._ending_message, None
        if was_speaking and message:
            self.say(message, priority=Priority.URGENT)
        if (self.theme, self.large_text) != (self.config.theme, self.config.large_text):
            self.theme, self.large_text = self.config.theme, self.config.large_text
            if self.config.manage_theme:
                apply_theme(self.app, self.theme, self.large_text, self.config.geometry)
        self._apply_speech_settings()
        was_on = self.speech_mode
        self.speech_mode = False
        self.input_filter.explored = None
        self._update_indicator()
        if was_on:
            self.speech_mode_changed.emit(False)

    def _update_indicator(self) -> None:
        self.switches.show_state(self.language, self.speech_mode, self.headset_plugged,
                                 self.theme == "high_contrast", self.large_text)

    # -- screens, announcements, session -------------------------------------------------
    def screen_intro(self) -> str:
        screen = self.current_screen()
        if screen is None:
            return ""
        title = (screen.title_text() or "").strip()
        instructions = _choose_not_touch((screen.instructions_text() or "").strip())
        return " ".join(s if s.endswith((".", "!", "?", ":")) else s + "." for s in (title, instructions) if s)

    def current_screen(self):
        return self.window.current_screen()

    def _connect_screen(self, screen) -> None:
        if self._screen is not None:
            try:
                self._screen.announce.disconnect(self._on_announce)
                if hasattr(self._screen, "read_aloud"):
                    self._screen.read_aloud.disconnect(self._on_read_aloud)
            except (RuntimeError, TypeError):
                pass
        self._screen = screen
        screen.announce.connect(self._on_announce)
        if hasattr(screen, "read_aloud"):
            screen.read_aloud.connect(self._on_read_aloud)

    @Slot(object)
    def _on_screen_changed(self, screen) -> None:
        early = self.opening.finish(screen)
        self._connect_screen(screen)
        self.input_filter.explored = None
        active = self.window.session_active()
        if self._session_was_active and not active:
            # the welcome screen after a finish or timeout: the session's end resets everything
            self._session_was_active = False
            self._on_session_end()
            return
        self._session_was_active = active
        if active:
            self._reset_done = False
        self._update_indicator()
        self.nav.focus_first(screen)
        if not self.speech_mode:
            self._spoken_language = self.language
            return
        parts = []
        if self._spoken_language != self.language:
            parts.append(phrase(self.language, "language_name") + ".")
            self._spoken_language = self.language
        parts.append(self.screen_intro())
        # what the screen announced while it opened (the receipt) comes after its title, and
        # is said at the announcement's priority so the next focus move does not cut it off
        parts.extend(text for text, private in early if not private)
        focused = self.nav.focused()
        if focused is not None:
            parts.append(self.describe(focused))
        self.say(" ".join(p for p in parts if p), priority=Priority.HIGH if early else Priority.NORMAL)
        for text, private in early:
            if private:
                self.say(text, private=True, priority=Priority.HIGH, interrupt=False)

    @Slot(str, bool)
    def _on_announce(self, text: str, private: bool) -> None:
        if self._warning_pending:
            # the window announces its timeout warning ("touch More time") right after
            # session_warning: a keypad user is told instead that any key will do
            self._warning_pending = False
            self.say(phrase(self.language, "timeout_warning", seconds=self._warning_seconds), priority=Priority.URGENT)
            return
        # errors, results and the receipt: not cut off by the focus announcement that follows
        self.say(text, private=private, priority=Priority.HIGH)

    @Slot(str)
    def _on_read_aloud(self, text: str) -> None:
        """A screen's "read it aloud" button: said on the speaker (or headset) even when speech
        mode is off, once; it does not switch speech mode on."""
        self.say(text, priority=Priority.HIGH, asked=True)

    @Slot(int)
    def _on_warning(self, seconds: int) -> None:
        shown = self.window.shows_timeout_warning()
        # first warning of this idle period only (the window re-emits every second)
        self._warning_pending = shown and not self._warned
        self._warning_seconds = seconds
        self._warned = True
        if not shown and self.speech_mode:
            self.say(phrase(self.language, "timeout_warning", seconds=seconds), priority=Priority.URGENT)

    @Slot(int)
    def _on_extended(self, _count: int) -> None:
        self._warned = False
        self.say(phrase(self.language, "timeout_extended"), priority=Priority.URGENT)

    @Slot()
    def _on_timed_out(self) -> None:
        self._ending_message = phrase(self.language, "timed_out")

    @Slot(object)
    def _on_identity_changed(self, identity) -> None:
        if identity is not None:
            self.say(phrase(self.language, "card_read"))  # on any screen; the name only as the screen shows it
        else:
            # the citizen's identity ended (the welcome screen, Finish, the timeout): "repeat"
            # must not say their number or name to whoever comes next, nor finish saying it
            self.speech.stop()
            self.kbd.leave(speak=False)
            self.last_spoken = None
            self.values.forget_text()

    @Slot()
    def _on_session_end(self) -> None:
        # the welcome screen after the end may already have reset us; a second reset would
        # cut off the "session ended" message still waiting in the queue
        if not self._reset_done:
            if self._ending_message is None:  # Finish (the timeout set its own words)
                self._ending_message = phrase(self.language, "finished")
            self.reset()
