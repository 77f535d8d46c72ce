"""Speech mode, focus announcer, keypad filter and explore-by-touch over the kiosk's MainWindow.

One controller per window. Everything here runs on the GUI thread; a headset detector may
call `on_headset()` from its own thread, which is re-emitted through a queued signal.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QWidget,
)

from hardware.speech import STEPS, Priority
from kiosk.a11y import describe as d
from kiosk.a11y.keyboard_mode import KeyboardMode
from kiosk.a11y.keypad import Action, RepeatGuard, lookup
from kiosk.a11y.spoken_numbers import speakable
from kiosk.a11y.strings import char_name, phrase
from kiosk.a11y.themes import THEMES, ScreenGeometry, apply_theme

__all__ = ["AccessibilityController", "A11yConfig"]

log = logging.getLogger(__name__)

#: screens tell a sighted citizen to "touch" a button; in speech mode the citizen may be on the
#: keypad, so the spoken instructions say "choose" (true of a touch too)
_SPOKEN_VERBS = {"Докоснете": "Изберете", "докоснете": "изберете", "Touch": "Choose", "touch": "choose"}
_SPOKEN_VERB = re.compile(r"\b(?:Докоснете|докоснете|Touch|touch)\b")


def _choose_not_touch(text: str) -> str:
    return _SPOKEN_VERB.sub(lambda m: _SPOKEN_VERBS[m.group(0)], text)


@dataclass(frozen=True)
class A11yConfig:
    """The accessibility settings of `[kiosk]` (and `[kiosk.a11y]`) in the terminal config."""

    #: EN 301 549 5.8: ignore an identical key pressed again within this many seconds (0 = off)
    ignore_repeat_seconds: float = 0.0
    default_volume_step: int = 4  # of 7
    default_rate_step: int = 4
    theme: str = "default"
    large_text: bool = False
    geometry: ScreenGeometry = field(default_factory=ScreenGeometry)
    #: a municipality may let private data be read aloud on the speaker by default (not advised)
    private_aloud: bool = False
    #: the theme is applied to the QApplication by the controller (off for embedding tests)
    manage_theme: bool = True

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"kiosk.theme: unknown theme {self.theme!r}; known: {', '.join(THEMES)}")
        for name in ("default_volume_step", "default_rate_step"):
            value = getattr(self, name)
            if not 1 <= value <= STEPS:
                raise ValueError(f"kiosk.{name}: must be 1..{STEPS}, got {value}")
        if not 0 <= self.ignore_repeat_seconds <= 2:
            raise ValueError("kiosk.ignore_repeat_seconds: must be between 0 and 2 seconds")

    @classmethod
    def from_mapping(cls, section: Mapping[str, Any] | None) -> "A11yConfig":
        """From the `[kiosk]` table: screen_diagonal_in, screen_width_px, screen_height_px,
        viewing_distance_mm, ignore_repeat_seconds, default_volume_step, default_rate_step,
        theme, large_text, private_aloud. Unknown keys are left to the kiosk's own loader."""
        section = dict(section or {})
        geometry = ScreenGeometry(
            diagonal_in=float(section.get("screen_diagonal_in", 10.1)),
            width_px=int(section.get("screen_width_px", 1280)),
            height_px=int(section.get("screen_height_px", 800)),
            viewing_distance_mm=float(section.get("viewing_distance_mm", 600.0)),
        )
        kwargs = {k: section[k] for k in ("ignore_repeat_seconds", "default_volume_step", "default_rate_step",
                                          "theme", "large_text", "private_aloud") if k in section}
        return cls(geometry=geometry, **kwargs)


class _NoSpeech:
    """Stands in when the terminal has no speech device: the keypad and themes still work."""

    paused = False
    is_speaking = False

    def say(self, *args, **kwargs) -> None:
        log.debug("no speech device: not said: %s", args[:1])

    def stop(self) -> None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def reset(self) -> None: ...
    def set_output(self, output: str) -> None: ...

    def set_volume_step(self, step: int) -> int:
        return max(0, min(STEPS - 1, step))

    set_rate_step = set_volume_step


def _config_from_window(window: QWidget) -> A11yConfig:
    """Without an explicit config: the panel geometry from the kiosk's own settings."""
    settings = getattr(getattr(window, "state", None), "settings", None)
    if settings is None or not hasattr(settings, "screen_width_mm"):
        return A11yConfig()
    return A11yConfig(geometry=ScreenGeometry.from_width_mm(
        settings.screen_width_mm, settings.screen_width_px, settings.screen_height_px))


class AccessibilityController(QObject):
    """Makes every screen of `window` speak and work from the keypad.

    `window` is kiosk.views.main_window.MainWindow (screen_changed, current_screen(), state,
    session, toggle_language(), header); `speech` is a hardware.speech Speech.
    """

    speech_mode_changed = Signal(bool)
    settings_changed = Signal()
    _headset_event = Signal(bool)

    def __init__(self, window: QWidget, speech: Any, config: A11yConfig | Mapping[str, Any] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        if config is None:
            config = _config_from_window(window)
        elif isinstance(config, Mapping):
            config = A11yConfig.from_mapping(config)
        self.window = window
        self.speech = speech if speech is not None else _NoSpeech()
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
        self._guard = RepeatGuard(config.ignore_repeat_seconds, clock)
        self._suppress_focus = 0
        self._synthetic = 0
        self._explored: tuple[int, int] | None = None
        self._swallow_release = False
        self._value_links: list[tuple[Any, Callable]] = []
        self._value_widget: QWidget | None = None
        self._last_text: str = ""
        self._screen: Any = None
        self._spoken_language = self.language
        self._session_was_active = False
        self._ending_message: str | None = None
        self._early: list[tuple[str, bool]] = []
        self._early_screen: Any = None
        self._quiet_text = 0
        #: the on-screen keyboard operated from the keypad (kiosk/a11y/keyboard_mode.py)
        self.kbd = KeyboardMode(self)

        self.indicator = QLabel(objectName="a11yIndicator")
        self.indicator.setAccessibleName(phrase(self.language, "ind_name"))
        self._place_indicator()

        self._headset_event.connect(self._apply_headset, Qt.ConnectionType.QueuedConnection)
        window.screen_changed.connect(self._on_screen_changed)
        stack = getattr(window, "stack", None)
        if stack is not None and hasattr(stack, "widgetAdded"):
            # a screen may announce while it is being shown, before screen_changed is emitted
            stack.widgetAdded.connect(self._on_screen_added)
        requested = getattr(getattr(window, "state", None), "speech_mode_requested", None)
        if requested is not None:
            requested.connect(self.start_speech_mode)
        session = getattr(window, "session", None)
        if session is not None:
            session.wiped.connect(self._on_session_end)
            identity_changed = getattr(session, "identity_changed", None)
            if identity_changed is not None:
                identity_changed.connect(self._on_identity_changed)
        self._warning_pending = False
        self._warned = False
        self._reset_done = False
        for name, slot in (("session_warning", self._on_warning), ("session_extended", self._on_extended),
                           ("session_timed_out", self._on_timed_out)):
            signal = getattr(window, name, None)
            if signal is not None:
                signal.connect(slot)
        self.app.focusChanged.connect(self._on_focus_changed)
        self.app.installEventFilter(self)
        self._apply_speech_settings()
        if config.manage_theme:
            apply_theme(self.app, self.theme, self.large_text, config.geometry)
        self._update_indicator()
        current = window.current_screen() if hasattr(window, "current_screen") else None
        if current is not None:
            self._connect_screen(current)
            self._focus_first(current)

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        """Remove the filters and connections (tests build several windows in one process);
        calling it twice is harmless."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        self.kbd.leave(speak=False)
        try:
            self.app.removeEventFilter(self)
            self.app.focusChanged.disconnect(self._on_focus_changed)
        except (RuntimeError, TypeError):
            pass
        self._unlink_values()

    @property
    def language(self) -> str:
        state = getattr(self.window, "state", None)
        lang = getattr(state, "language", None) or getattr(self.window, "language", None)
        return lang if lang in ("bg", "en") else "bg"

    # -- speaking ----------------------------------------------------------------------
    def say(self, text: str, private: bool = False, priority: int = Priority.NORMAL,
            public_text: str | None = None, interrupt: bool = True, asked: bool = False) -> None:
        """Speak in the screen's language, if speech mode is on.

        Private text (ЕГН, address, amounts) is handed to the engine as private: it speaks it only
        through the headset and says `public_text` (or its neutral phrase) on the speaker —
        unless the citizen chose to hear private data aloud (5.1.3.9).
        """
        if not (self.speech_mode or asked) or not text:  # asked: a button the citizen pressed to hear it
            return
        if private and self.private_aloud:
            private = False
        # numbers as people say them: an ЕГН digit by digit, "2,56 €" as money, dates as dates
        text = speakable(text, self.language)
        if public_text:
            public_text = speakable(public_text, self.language)
        self.paused = False
        self.last_spoken = (text, private, priority, public_text)
        self.speech.say(text, lang=self.language, priority=priority, private=private,
                        public_text=public_text, interrupt=interrupt)

    def start_speech_mode(self, announce_screen: bool = True) -> None:
        """Audio key, Help key, tactile start key or a headset plugged in (EN 301 549 5.2)."""
        if self.speech_mode:
            return
        self.speech_mode = True
        self._update_indicator()
        self.speech_mode_changed.emit(True)
        parts = [phrase(self.language, "speech_on")]
        screen = self._current_screen()
        if self._focused() is None and screen is not None:
            self._focus_first(screen)
        if announce_screen:
            parts.append(self._screen_intro())
            focused = self._focused()
            if focused is not None:
                parts.append(self._describe(focused))
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
        toggle = getattr(self.window, "toggle_language", None)
        if toggle is None:
            return
        before = self.language
        toggle()
        if self.language != before and self._spoken_language != self.language:
            # no screen rebuild followed the switch: say it here
            self._spoken_language = self.language
            self.say(f"{phrase(self.language, 'language_name')}. {self._screen_intro()}")
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
        self._explored = None
        self._update_indicator()
        if was_on:
            self.speech_mode_changed.emit(False)

    # -- the visible indicator (5.6) -----------------------------------------------------
    def _place_indicator(self) -> None:
        header = getattr(self.window, "header", None)
        layout = header.layout() if header is not None else None
        self.contrast_button: QPushButton | None = None
        self.large_text_button: QPushButton | None = None
        if layout is not None:
            # 5.2: a low-vision citizen switches contrast and large text by touch too
            at = max(0, layout.count() - 2)
            self.contrast_button = QPushButton(objectName="a11yContrastButton")
            self.large_text_button = QPushButton(objectName="a11yLargeTextButton")
            self.contrast_button.setCheckable(True)
            self.large_text_button.setCheckable(True)
            self.contrast_button.clicked.connect(lambda _=False: self.toggle_high_contrast())
            self.large_text_button.clicked.connect(lambda _=False: self.toggle_large_text())
            layout.insertWidget(at, self.indicator)
            layout.insertWidget(at + 1, self.contrast_button)
            layout.insertWidget(at + 2, self.large_text_button)
        else:
            self.indicator.setParent(self.window)
            self.indicator.move(8, 8)
            self.indicator.raise_()

    def _update_indicator(self) -> None:
        lang = self.language
        marks = []
        if self.speech_mode:
            marks.append(phrase(lang, "ind_speech") + (" 🎧" if self.headset_plugged else ""))
        # contrast and large text show on their own (checked) header switches when those exist
        if self.theme == "high_contrast" and self.contrast_button is None:
            marks.append(phrase(lang, "ind_contrast"))
        if self.large_text and self.large_text_button is None:
            marks.append(phrase(lang, "ind_large"))
        self.indicator.setText(" · ".join(marks))
        self.indicator.setAccessibleName(phrase(lang, "ind_name"))
        self.indicator.setVisible(bool(marks))
        for button, key, on in ((self.contrast_button, "btn_contrast", self.theme == "high_contrast"),
                                (self.large_text_button, "btn_large", self.large_text)):
            if button is not None:
                # in large text the header has no room for words; the name stays spoken
                button.setText(phrase(lang, key).split()[0] if self.large_text else phrase(lang, key))
                button.setAccessibleName(phrase(lang, f"{key}_name"))
                button.blockSignals(True)
                button.setChecked(on)
                button.blockSignals(False)

    # -- screens, announcements, session -------------------------------------------------
    def _screen_intro(self) -> str:
        screen = self._current_screen()
        if screen is None:
            return ""
        title = (screen.title_text() or "").strip()
        instructions = _choose_not_touch((screen.instructions_text() or "").strip())
        return " ".join(s if s.endswith((".", "!", "?", ":")) else s + "." for s in (title, instructions) if s)

    def _current_screen(self):
        getter = getattr(self.window, "current_screen", None)
        return getter() if getter else None

    @Slot(int)
    def _on_screen_added(self, index: int) -> None:
        screen = self.window.stack.widget(index)
        if screen is None or not hasattr(screen, "announce"):
            return
        self._early, self._early_screen = [], screen
        screen.announce.connect(self._on_early_announce)

    @Slot(str, bool)
    def _on_early_announce(self, text: str, private: bool) -> None:
        self._early.append((text, private))

    def _take_early(self, screen) -> list[tuple[str, bool]]:
        if self._early_screen is None:
            return []
        try:
            self._early_screen.announce.disconnect(self._on_early_announce)
        except (RuntimeError, TypeError):
            pass
        early = self._early if self._early_screen is screen else []
        self._early, self._early_screen = [], None
        return early

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
        early = self._take_early(screen)
        self._connect_screen(screen)
        self._explored = None
        session = getattr(self.window, "session", None)
        active = bool(getattr(session, "active", True))
        if self._session_was_active and not active:
            # the welcome screen after a finish or timeout: the session's end resets everything
            self._session_was_active = False
            self._on_session_end()
            return
        self._session_was_active = active
        if active:
            self._reset_done = False
        self._update_indicator()
        self._focus_first(screen)
        if not self.speech_mode:
            self._spoken_language = self.language
            return
        parts = []
        if self._spoken_language != self.language:
            parts.append(phrase(self.language, "language_name") + ".")
            self._spoken_language = self.language
        parts.append(self._screen_intro())
        # what the screen announced while it opened (the receipt) comes after its title, and
        # is said at the announcement's priority so the next focus move does not cut it off
        parts.extend(text for text, private in early if not private)
        focused = self._focused()
        if focused is not None:
            parts.append(self._describe(focused))
        self.say(" ".join(p for p in parts if p), priority=Priority.HIGH if early else Priority.NORMAL)
        for text, private in early:
            if private:
                self.say(text, private=True, priority=Priority.HIGH, interrupt=False)

    @Slot(str, bool)
    def _on_announce(self, text: str, private: bool) -> None:
        if self._warning_pending:
            # the window announces its timeout warning right after session_warning: a blind
            # citizen cannot find the "More time" button, so say that any key will do
            self._warning_pending = False
            self.say(f"{text} {phrase(self.language, 'any_key_extends')}", priority=Priority.URGENT)
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
        bar = getattr(self.window, "warning_bar", None)
        # first warning of this idle period only (the window re-emits every second)
        self._warning_pending = bar is not None and not self._warned
        self._warned = True
        if bar is None and self.speech_mode:
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
        if identity is None:
            # the citizen's identity ended (the welcome screen, Finish, the timeout): "repeat"
            # must not say their number or name to whoever comes next, nor finish saying it
            self.speech.stop()
            self.kbd.leave(speak=False)
            self.last_spoken = None
            self._last_text = ""

    @Slot()
    def _on_session_end(self) -> None:
        # the welcome screen after the end may already have reset us; a second reset would
        # cut off the "session ended" message still waiting in the queue
        if not self._reset_done:
            self.reset()

    # -- focus -------------------------------------------------------------------------
    def navigation_chain(self) -> list[QWidget]:
        """Every control the keypad can reach on the window, in focus order (screen and header).

        In speech mode the screen's text and meaningful images are stops too, so everything
        shown is reachable by ear (phone numbers, results), as a screen reader's reading order.
        """
        chain: list[QWidget] = []
        start = self.window
        header = getattr(self.window, "header", None)
        w = start.nextInFocusChain()
        seen = set()
        while w is not None and w is not start and id(w) not in seen:
            seen.add(id(w))
            if self.window.isAncestorOf(w) and w.isVisible() and not w.property(d.PROP_SKIP):
                if d.is_keypad_stop(w):
                    chain.append(w)
                elif (self.speech_mode and d.is_readable_text(w) and w is not self.indicator and w.isEnabled()
                      and not (header is not None and header.isAncestorOf(w))):
                    chain.append(w)
            w = w.nextInFocusChain()
        return chain

    @staticmethod
    def _focus(widget: QWidget, reason: Qt.FocusReason) -> None:
        if isinstance(widget, QLabel) and not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # text stops exist only in speech mode
        widget.setFocus(reason)

    def _focus_first(self, screen: QWidget) -> None:
        """Put the focus on the screen's first control without announcing it separately."""
        first = self._first_in(screen)
        if first is not None:
            self._suppress_focus += 1
            try:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
            finally:
                self._suppress_focus -= 1

    def _first_in(self, screen: QWidget) -> QWidget | None:
        """The screen's first control — its first button rather than a text field, as the window
        does: focus in a field brings up the on-screen keyboard over half the page (hotlines,
        dossier) before the citizen has touched anything; the field is one step away."""
        controls = [w for w in self.navigation_chain() if screen.isAncestorOf(w) and d.is_interactive(w)]
        return next((w for w in controls if not d.is_text_input(w)), controls[0] if controls else None)

    def _focused(self) -> QWidget | None:
        w = QApplication.focusWidget()
        if w is None or not (w is self.window or self.window.isAncestorOf(w)):
            return None
        if d.is_readable_text(w):
            return w
        return d.interactive_ancestor(w, self.window)

    def _describe(self, widget: QWidget, private_allowed: bool | None = None) -> str:
        if private_allowed is None:
            private_allowed = self.headset_plugged or self.private_aloud
        return _choose_not_touch(d.describe(widget, self.language, self.navigation_chain(), self.window,
                                            private_allowed))

    def say_widget(self, widget: QWidget, priority: int = Priority.NORMAL, prefix: str = "") -> None:
        """Name, role, value, position, state; a private value only through the headset."""
        lead = f"{prefix} " if prefix else ""
        full = self._describe(widget, True)
        public = self._describe(widget, False)
        if d.is_private(widget) and full != public and not self.private_aloud:
            self.say(lead + full, private=True, priority=priority, public_text=lead + public)
        else:
            self.say(lead + self._describe(widget), priority=priority)

    def move_focus(self, step: int) -> None:
        """Next/previous control, wrapping within the window: never trapped (5.1.6)."""
        chain = self.navigation_chain()
        if not chain:
            return
        current = self._focused()
        if current in chain:
            target = chain[(chain.index(current) + step) % len(chain)]
        else:
            target = chain[0] if step > 0 else chain[-1]
        self._focus(target, Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason)
        self._ensure_visible(target)

    @staticmethod
    def _ensure_visible(widget: QWidget) -> None:
        # the screen's body (its one scroll area) brings the control into view
        parent = widget.parentWidget()
        while parent is not None:
            if isinstance(parent, QScrollArea):
                parent.ensureWidgetVisible(widget)
            parent = parent.parentWidget()

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        target = None
        if new is not None and (new is self.window or self.window.isAncestorOf(new)):
            target = new if d.is_readable_text(new) else d.interactive_ancestor(new, self.window)
        self.kbd.focus_changed(new)
        if target is not self._value_widget:
            self._unlink_values()
            if target is not None:
                self._link_values(target)
        if self._suppress_focus or not self.speech_mode or target is None:
            return
        self.say_widget(target)

    # -- values as they change -------------------------------------------------------------
    def _link(self, signal, slot) -> None:
        signal.connect(slot)
        self._value_links.append((signal, slot))

    def _unlink_values(self) -> None:
        for signal, slot in self._value_links:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._value_links.clear()
        self._value_widget = None

    def _link_values(self, w: QWidget) -> None:
        self._value_widget = w
        if isinstance(w, QLineEdit):
            self._last_text = w.text()
            self._link(w.textChanged, self._on_text_changed)
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
            # a multi-line field (a signal's description): typed characters are spoken too
            self._last_text = w.toPlainText()
            self._link(w.textChanged, lambda: self._on_text_changed(w.toPlainText()))
        elif isinstance(w, QComboBox):
            self._link(w.currentIndexChanged, lambda _i: self._say_value(w))
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            self._link(w.toggled, lambda _c: self.say(", ".join(d.state_words(w, self.language))))
        elif isinstance(w, (QAbstractSpinBox, QAbstractSlider)):
            signal = getattr(w, "valueChanged", None)
            if signal is not None:
                self._link(signal, lambda _v: self._say_value(w))
        elif isinstance(w, QAbstractItemView) and w.selectionModel() is not None:
            self._link(w.selectionModel().currentChanged, lambda *_: self._say_value(w))

    def _say_value(self, w: QWidget) -> None:
        if d.is_private(w):
            self.say(d.value_text(w, self.language, True), private=True,
                     public_text=d.value_text(w, self.language, False))
        else:
            self.say(d.value_text(w, self.language, False))

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        w = self._value_widget
        before, self._last_text = self._last_text, text
        if w is None or self._quiet_text:
            return
        star = phrase(self.language, "star")
        if d.is_masked(w):
            # never the characters, not even through the headset (5.1.3.8)
            if len(text) > len(before):
                self.say(star)
            elif len(text) < len(before):
                self.say(phrase(self.language, "deleted", what=star))
            return
        private = d.is_private(w)
        if len(text) == len(before) + 1 and text.startswith(before):
            self.say(char_name(self.language, text[-1]), private=private, public_text=star if private else None)
        elif len(text) < len(before) and before.startswith(text):
            removed = " ".join(char_name(self.language, ch) for ch in before[len(text):])
            self.say(phrase(self.language, "deleted", what=removed), private=private,
                     public_text=phrase(self.language, "deleted", what=star) if private else None)
        else:
            self._say_value(w)

    # -- actions -----------------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        """What a keypad key does; public so a tactile GPIO key can trigger the same actions."""
        focused = self._focused()
        if action in (Action.PREVIOUS, Action.NEXT):
            step = -1 if action is Action.PREVIOUS else 1
            if isinstance(focused, QAbstractItemView) and self._move_in_list(focused, step):
                return
            self.move_focus(step)
        elif action in (Action.LEFT, Action.RIGHT):
            step = -1 if action is Action.LEFT else 1
            if focused is not None and (self._change_value(focused, step) or self._move_in_group(focused, step)):
                return
            self.move_focus(step)
        elif action is Action.ACTIVATE:
            self.activate(focused)
        elif action is Action.CLEAR:
            self._clear(focused)
        elif action is Action.BACK:
            if d.is_text_input(focused):
                # Escape in a field leaves the field, not the flow (the keyboard goes with it)
                self.leave_field(focused)
                return
            screen = self._current_screen()
            if screen is not None:
                screen.go_back()
        elif action is Action.HELP:
            if not self.speech_mode:
                self.start_speech_mode()
            else:
                intro = self._screen_intro() or phrase(self.language, "no_help")
                self.say(f"{intro} {phrase(self.language, 'speech_on')}")
        elif action is Action.REPEAT:
            if self.last_spoken:
                text, private, priority, public_text = self.last_spoken
                self.say(text, private=private, priority=priority, public_text=public_text)
        elif action is Action.PAUSE:
            if self.paused:
                self.speech.resume()
                self.paused = False
            else:
                self.speech.pause()
                self.paused = True
        elif action is Action.VOLUME_DOWN:
            self.change_volume(-1)
        elif action is Action.VOLUME_UP:
            self.change_volume(+1)
        elif action is Action.RATE_DOWN:
            self.change_rate(-1)
        elif action is Action.RATE_UP:
            self.change_rate(+1)
        elif action is Action.LANGUAGE:
            self.switch_language()
        elif action is Action.SPEECH_MODE:
            if self.speech_mode:
                self.stop_speech_mode()
            else:
                self.start_speech_mode()
        elif action is Action.HIGH_CONTRAST:
            self.toggle_high_contrast()
        elif action is Action.LARGE_TEXT:
            self.toggle_large_text()
        elif action is Action.KEYBOARD:
            if self.kbd.available_for(focused):
                self.kbd.enter(focused)
            else:
                self.say(phrase(self.language, "kbd_no_field"))

    def leave_field(self, field: QWidget) -> None:
        """Focus on the next control that is not a text field (a form's next choice, or its
        Continue); nothing typed is touched."""
        chain = self.navigation_chain()
        if field in chain:
            start = chain.index(field)
            for step in range(1, len(chain)):
                target = chain[(start + step) % len(chain)]
                if not d.is_text_input(target) and d.is_interactive(target):
                    self._focus(target, Qt.FocusReason.TabFocusReason)
                    self._ensure_visible(target)
                    return
        field.clearFocus()

    def activate(self, w: QWidget | None) -> None:
        """Enter / 5: click a button, toggle a check box, open a list item, confirm a field."""
        if w is None:
            self.move_focus(1)
            return
        if not w.isEnabled():
            self.say(self._describe(w))
            return
        if isinstance(w, QLabel):
            self.say_widget(w)
        elif isinstance(w, QAbstractButton):
            w.click()
        elif isinstance(w, QAbstractItemView):
            index = w.currentIndex()
            if not index.isValid() and w.model() is not None and w.model().rowCount():
                index = w.model().index(0, 0)
                w.setCurrentIndex(index)
            if index.isValid():
                self._tap(w.viewport(), w.visualRect(index).center())
        elif isinstance(w, QComboBox):
            self._change_value(w, 1)
        elif self.speech_mode and self.kbd.available_for(w):
            # speech mode: Enter/5 on a text field opens the on-screen keyboard for the keypad
            self.kbd.enter(w)
        elif isinstance(w, (QLineEdit, QTextEdit, QPlainTextEdit)):
            if isinstance(w, QLineEdit):
                self._send_key(w, Qt.Key.Key_Return)
            if QApplication.focusWidget() is w:
                self.move_focus(1)
        else:
            self.move_focus(1)

    def _tap(self, target: QWidget, pos) -> None:
        """A real press+release at `pos`, exactly what a finger does."""
        self._synthetic += 1
        try:
            p = QPointF(pos)
            g = QPointF(target.mapToGlobal(pos))
            for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
                buttons = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
                QApplication.sendEvent(target, QMouseEvent(kind, p, g, Qt.MouseButton.LeftButton, buttons,
                                                           Qt.KeyboardModifier.NoModifier))
        finally:
            self._synthetic -= 1

    def _send_key(self, target: QWidget, key: Qt.Key, text: str = "") -> None:
        self._synthetic += 1
        try:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text))
        finally:
            self._synthetic -= 1

    def press_keyboard_key(self, button: QWidget) -> None:
        """Press an on-screen key for keyboard mode; it speaks the result itself."""
        self._synthetic += 1
        self._quiet_text += 1
        try:
            button.click()
        finally:
            self._synthetic -= 1
            self._quiet_text -= 1
        self._sync_last_text()

    def send_key_to(self, target: QWidget, what: str) -> None:
        """A key for keyboard mode (`backspace`), without the field's own change announcement."""
        self._quiet_text += 1
        try:
            self._send_key(target, {"backspace": Qt.Key.Key_Backspace}[what])
        finally:
            self._quiet_text -= 1
        self._sync_last_text()

    def _sync_last_text(self) -> None:
        w = self._value_widget
        if isinstance(w, QLineEdit):
            self._last_text = w.text()
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            self._last_text = w.toPlainText()

    def _move_in_list(self, view: QAbstractItemView, step: int) -> bool:
        model = view.model()
        if model is None or not model.rowCount():
            return False
        index = view.currentIndex()
        row = (index.row() if index.isValid() else -1) + step
        if not 0 <= row < model.rowCount():
            return False  # leave the list: focus is never trapped
        view.setCurrentIndex(model.index(row, 0))
        return True

    def _move_in_group(self, w: QWidget, step: int) -> bool:
        """Left/right on an option of a group of choices: the previous/next option of the same
        group, wrapping within it (the radio-group convention); choosing is still Enter/5."""
        options = d.option_group(w)
        if options is None:
            return False
        members = [o for o in self.navigation_chain() if o in options]
        if w not in members or len(members) < 2:
            return False
        target = members[(members.index(w) + step) % len(members)]
        self._focus(target, Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason)
        self._ensure_visible(target)
        return True

    def _change_value(self, w: QWidget, step: int) -> bool:
        if isinstance(w, QComboBox) and w.count():
            w.setCurrentIndex((w.currentIndex() + step) % w.count())
            return True
        if isinstance(w, QAbstractSpinBox):
            w.stepBy(step)
            return True
        if isinstance(w, QAbstractSlider):
            w.triggerAction(QAbstractSlider.SliderAction.SliderSingleStepAdd if step > 0
                            else QAbstractSlider.SliderAction.SliderSingleStepSub)
            return True
        return False

    def _clear(self, w: QWidget | None) -> None:
        if isinstance(w, QLineEdit) and not w.isReadOnly() and w.text():
            self._send_key(w, Qt.Key.Key_Backspace)
        elif isinstance(w, (QTextEdit, QPlainTextEdit)) and not w.isReadOnly() and w.toPlainText():
            self._send_key(w, Qt.Key.Key_Backspace)
        else:
            self.say(phrase(self.language, "nothing_to_delete"))

    # -- the event filter: keypad and explore-by-touch ----------------------------------------
    def _in_window(self, obj: QObject) -> bool:
        return isinstance(obj, QWidget) and (obj is self.window or self.window.isAncestorOf(obj))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.KeyPress:
            if self._synthetic or not self._in_window(obj):
                return False
            return self._on_key(event)
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease):
            if self._synthetic or not self._in_window(obj):
                return False
            return self._on_touch(obj, event)
        return False

    def _on_key(self, event: QKeyEvent) -> bool:
        if event.isAutoRepeat():
            return True  # EN 301 549 5.7: a held key acts once
        if self.kbd.active:
            if QApplication.focusWidget() is self.kbd.field:
                return self._on_keyboard_mode_key(event)
            self.kbd.leave(speak=False)
        action = lookup(event, d.is_text_input(QApplication.focusWidget()))
        if action is not Action.PAUSE:
            self.speech.stop()  # any key cuts speech off (5.1.3.5)
        if action is None:
            return False
        if not self._guard.accept(event.key(), int(event.modifiers().value)):
            return True
        try:
            self.perform(action)
        except Exception:  # a keypad bug must never take the kiosk down
            log.exception("keypad action %s failed", action)
        return True

    def _on_keyboard_mode_key(self, event: QKeyEvent) -> bool:
        """In keyboard mode the keypad's digits navigate the keys instead of typing."""
        action = lookup(event, False)
        if action is not Action.PAUSE:
            self.speech.stop()
        if action is None:
            return False  # a real keyboard's letter still types into the field
        if not self._guard.accept(event.key(), int(event.modifiers().value)):
            return True
        try:
            self.kbd.perform(action)
        except Exception:  # a keypad bug must never take the kiosk down
            log.exception("keyboard-mode action %s failed", action)
            self.kbd.leave(speak=False)
        return True

    def _on_touch(self, obj: QWidget, event: QMouseEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease:
            if self._swallow_release:
                self._swallow_release = False
                return True
            return False
        self.speech.stop()  # a touch cuts speech off too
        if not self.speech_mode:
            return False
        target = d.interactive_ancestor(obj, self.window)
        if target is None:
            return False
        key = (id(target), self._item_row(target, obj, event))
        if key == self._explored:
            return False  # second touch: let the control act on release
        self._explored = key
        self._swallow_release = True
        if target.focusPolicy() & Qt.FocusPolicy.ClickFocus:
            self._suppress_focus += 1
            try:
                target.setFocus(Qt.FocusReason.MouseFocusReason)
            finally:
                self._suppress_focus -= 1
        if isinstance(target, QAbstractItemView) and key[1] >= 0:
            target.setCurrentIndex(target.model().index(key[1], 0))
        self.say_widget(target, priority=Priority.LOW)
        return True

    @staticmethod
    def _item_row(target: QWidget, obj: QWidget, event: QMouseEvent) -> int:
        if isinstance(target, QAbstractItemView) and obj is target.viewport():
            return target.indexAt(event.position().toPoint()).row()
        return -1
