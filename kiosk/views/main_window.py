"""The kiosk's one top-level window: header, the screen stack, the timeout warning, the keyboard."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.state.tasks import RETIRED_PROPERTY
from kiosk.views.a11y_switches import A11ySwitches
from kiosk.views.activity import ActivityFilter
from kiosk.views.base import Screen, focus_first_button, reveal_in
from kiosk.views.widgets import ElidedLabel, after_style_change, big_button, large_text

ScreenFactory = Callable[..., Screen]


class MainWindow(QWidget):
    """Holds the current Screen; implements kiosk.a11y.window.A11yWindow for the accessibility layer."""

    screen_added = Signal(Screen)
    screen_changed = Signal(Screen)
    language_changed = Signal(str)
    session_warning = Signal(int)  # seconds left (re-emitted from the session)
    session_extended = Signal(int)
    session_timed_out = Signal()
    session_ended = Signal()
    identity_changed = Signal(object)
    speech_mode_requested = Signal()

    def __init__(self, state, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.session = state.session
        self.setObjectName("KioskMainWindow")
        self.setWindowTitle(self.tr("e-Municipality kiosk"))
        self._factories: dict[str, ScreenFactory] = {}
        # the screens Back returns to: name, arguments, and what the citizen had typed or chosen there
        self._history: list[tuple[str, dict, list | None]] = []
        # what Back does once the citizen confirms leaving a screen that holds input (None: not asking)
        self._leave_action: Callable[[], None] | None = None
        self._current: Screen | None = None
        self._current_name = ""
        self._current_kwargs: dict = {}

        root = QVBoxLayout(self)
        # the window is the panel: content adapts to it, never the other way round
        root.setSizeConstraint(QVBoxLayout.SetNoConstraint)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        self.header = QFrame(objectName="Header")
        bar = QHBoxLayout(self.header)
        bar.setContentsMargins(16, 8, 16, 8)
        self.back_button = QPushButton(objectName="BackButton")
        self.back_button.clicked.connect(self.go_back)
        after_style_change(self, self._after_style_change)
        # one line, ending in "…" when the header's switches leave too little room: a wrapping
        # header makes the window taller than the panel (the page repeats the full title)
        self.title_label = ElidedLabel(objectName="ScreenTitle")
        self.title_label.setMinimumWidth(100)
        self.language_button = QPushButton(objectName="LanguageButton")
        self.language_button.clicked.connect(self.toggle_language)
        self.finish_button = QPushButton(objectName="FinishButton")
        self.finish_button.clicked.connect(self.finish_session)
        # while the kiosk holds a citizen's identity: whose it is, on every screen, beside "Finish"
        self.identity_label = ElidedLabel(objectName="IdentityBadge")
        self.identity_label.setProperty("private", True)  # kiosk.a11y.describe.PROP_PRIVATE
        self.identity_label.setProperty("header_stop", True)  # the one header text a keypad reaches
        self.identity_label.hide()
        bar.addWidget(self.back_button)
        bar.addWidget(self.title_label, 1)
        bar.addWidget(self.identity_label, 2)
        # the speech-mode indicator and the contrast and large-text switches (the a11y controller's)
        self.a11y_switches = A11ySwitches(self, bar, bar.count())
        bar.addWidget(self.language_button)
        bar.addWidget(self.finish_button)
        root.addWidget(self.header)

        self.warning_bar = QFrame(objectName="TimeoutWarning")
        # the question over the whole width, "More time" under it: beside it, in large text, the
        # question wrapped into more lines than the bar was given
        warn = QVBoxLayout(self.warning_bar)
        warn.setContentsMargins(16, 8, 16, 8)
        self.warning_label = QLabel(objectName="TimeoutWarningText")
        self.warning_label.setWordWrap(True)
        self.extend_button = QPushButton(objectName="ExtendButton")
        self.extend_button.clicked.connect(self._extend)
        warn.addWidget(self.warning_label)
        warn.addWidget(self.extend_button, 0, Qt.AlignRight)
        self.warning_bar.hide()
        root.addWidget(self.warning_bar)

        # "Въведеното ще бъде изтрито. Да се откажа ли?": Back on a screen that holds input
        self.leave_bar = QFrame(objectName="LeaveConfirm")
        leave = QVBoxLayout(self.leave_bar)
        leave.setContentsMargins(16, 8, 16, 8)
        self.leave_label = QLabel(objectName="LeaveConfirmText")
        self.leave_label.setWordWrap(True)
        leave.addWidget(self.leave_label)
        leave_row = QHBoxLayout()
        self.stay_button = big_button("")
        self.stay_button.clicked.connect(self.cancel_leave)
        self.leave_button = big_button("", kind="primary")
        self.leave_button.clicked.connect(self.confirm_leave)
        leave_row.addWidget(self.stay_button)
        leave_row.addWidget(self.leave_button)
        leave.addLayout(leave_row)
        self.leave_bar.hide()
        root.addWidget(self.leave_bar)

        self.stack = QStackedWidget(objectName="ScreenStack")
        self.stack.widgetAdded.connect(lambda i: self.screen_added.emit(self.stack.widget(i)))
        root.addWidget(self.stack, 1)

        #: the embedded on-screen keyboard (added by the app when built); None until then
        self.keyboard: QWidget | None = None
        self._keyboard_slot = QVBoxLayout()
        self._keyboard_slot.setContentsMargins(0, 0, 0, 0)
        root.addLayout(self._keyboard_slot)

        self.session.warning.connect(self._on_warning)
        self.session.extended.connect(self._on_extended)
        self.session.timed_out.connect(self._on_timed_out)
        self.session.wiped.connect(self._on_wiped)
        # A bound slot, not a lambda: Qt drops the connection when this window is deleted, while the
        # session (which outlives it) may still announce an identity change.
        self.session.identity_changed.connect(self._on_identity_changed)
        state.speech_mode_requested.connect(self.speech_mode_requested)
        self._activity = ActivityFilter(self.session, parent=self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        self.retranslate()

    def install_keyboard(self, layout_name: str | None = None) -> None:
        """Embed the on-screen keyboard; it shows while a text field has focus."""
        from kiosk.views import widgets
        from kiosk.views.keyboard import OnScreenKeyboard, keyboard_layout_for

        if self.keyboard is not None:
            return
        default = layout_name or keyboard_layout_for(self.state.language)
        self.keyboard = OnScreenKeyboard(default, key_height=widgets.MIN_TARGET_PX)
        self.keyboard.configured = layout_name
        self.keyboard.hide()
        self._keyboard_slot.addWidget(self.keyboard)
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self._focus_changed)

    def shutdown(self) -> None:
        """Detach from the application-wide signals and filters (the app outlives windows in tests)."""
        app = QApplication.instance()
        if app is None or getattr(self, "_shut_down", False):
            return
        self._shut_down = True
        app.removeEventFilter(self._activity)
        if self.keyboard is not None:
            try:
                app.focusChanged.disconnect(self._focus_changed)
            except (RuntimeError, TypeError):
                pass

    def _after_style_change(self) -> None:
        # large text on or off: Back as its arrow leaves the header's room to the title
        self.back_button.setText("◀" if large_text() else self.tr("◀ Back"))

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _focus_changed(self, _old, new) -> None:
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

        if self.keyboard is None:
            return
        wants = isinstance(new, QPlainTextEdit) or (isinstance(new, QLineEdit) and not new.isReadOnly())
        if wants and self.isAncestorOf(new):
            self.keyboard.follow_field(new)
            self.keyboard.show()
            # the keyboard takes the lower part of the window: the screen's body shrinks to what is
            # left (its footer stays) and scrolls the field back into view as it does
            # (kiosk.views.base.BodyScroll); a field touched while the keyboard is up, here
            QTimer.singleShot(0, self, lambda: self.reveal(new))
        elif new is not None and self.isAncestorOf(new):
            self.keyboard.hide()

    def reveal(self, widget: QWidget) -> None:
        """Scroll every scroll area around `widget` so it shows with its label (above it)."""
        reveal_in(self, widget)

    # -- screens ---------------------------------------------------------------
    def register_screen(self, name: str, factory: ScreenFactory) -> None:
        self._factories[name] = factory

    def screen_names(self) -> list[str]:
        return list(self._factories)

    def current_screen(self) -> Screen | None:
        return self._current

    def current_screen_name(self) -> str:
        return self._current_name

    def show_screen(self, name: str, remember: bool = True, **kwargs) -> Screen:
        """Build a fresh screen (no page is cached across visits) and show it.

        The welcome screen ends the citizen's identity (the next person may be someone else), unless
        `keep_identity=True`: the receipt's explicit "another request for me"."""
        return self._open(name, kwargs, remember)

    def _open(self, name: str, kwargs: dict, remember: bool, restore: list | None = None,
              rebuild: bool = False) -> Screen:
        factory = self._factories[name]
        if name == "welcome":
            keep = kwargs.pop("keep_identity", False)
            self._history.clear()  # nothing of the last citizen's flow waits behind the welcome screen
            if not keep and not rebuild:
                end_identity = getattr(self.state, "end_identity", None)
                if end_identity is not None:
                    end_identity()
            kwargs = {"keep_identity": True} if keep else {}
            build_kwargs: dict = {}
        else:
            build_kwargs = kwargs
        # a step Back returns from: another screen, or into a group of the catalogue (not its tabs)
        deeper = kwargs.get("group_id") not in (None, self._current_kwargs.get("group_id"))
        if remember and self._current is not None and (self._current_name != name or deeper) and name != "welcome":
            self._history.append((self._current_name, self._current_kwargs, self._current.input_state()))
        app = QApplication.instance()
        # building a page sends thousands of internal events; the Python activity filter only
        # needs real input, so it steps aside while the page is built (a third of the cost)
        if app is not None and not getattr(self, "_shut_down", False):
            app.removeEventFilter(self._activity)
        try:
            screen = self._show_screen(name, lambda: factory(**build_kwargs), kwargs, remember, restore)
        finally:
            if app is not None and not getattr(self, "_shut_down", False):
                app.installEventFilter(self._activity)
        return screen

    def _show_screen(self, name: str, build: Callable[[], Screen], kwargs: dict, remember: bool,
                     restore: list | None) -> Screen:
        self._hide_leave_question()
        screen = build()
        screen.screen_name = name
        screen.mark_pristine()
        if restore is not None:
            # what the citizen had typed or chosen here (a step back, or a language switch)
            screen.restore_input(restore)
        screen.navigate.connect(self.navigate)
        screen.back_requested.connect(self.go_back)
        old = self._current
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self._current, self._current_name, self._current_kwargs = screen, name, kwargs
        if not screen.allow_back:
            self._history.clear()
        if old is not None:
            self.stack.removeWidget(old)
            # a result still loading for the old page is dropped (kiosk.state.tasks), not shown
            old.setProperty(RETIRED_PROPERTY, True)
            old.wipe()
            old.clear_all_text()
            old.setParent(None)
            old.deleteLater()
        focus_first_button(screen)
        if name != "welcome":
            self.session.start()
        self._update_header()
        self.screen_changed.emit(screen)
        return screen

    def navigate(self, target: str, kwargs: dict | None = None) -> None:
        """A screen asked for another one. Before the store is loaded (the first half second
        after the start) the request waits and is carried out once it is: the welcome page's
        tiles work from the first frame, the last one touched wins."""
        kwargs = dict(kwargs or {})
        origin = self._current
        ready = getattr(self.state, "when_ready", None)

        def go() -> None:
            # only if the page that asked is still the one shown (no timeout, no other touch since)
            if origin is None or self._current is origin:
                self.show_screen(target, **kwargs)

        if ready is None or target == "welcome":
            go()
        else:
            ready("navigate", go)

    def go_back(self) -> None:
        """Back (the header's button, Escape/Back on the keypad, a screen's "Cancel"). A screen that
        holds what the citizen typed or chose is not left without a question; Back again while
        the question shows is the answer "yes"."""
        if self._leave_action is not None:
            self.confirm_leave()
            return
        screen = self._current
        if screen is not None and screen.holds_input():
            self.ask_before_leaving(self._step_back)
            return
        self._step_back()

    def _step_back(self) -> None:
        # the identify screen once the card is read has nothing more to do: Back goes past it
        while self._history and self._history[-1][0] == "identify" and self.session.identity is not None:
            self._history.pop()
        if not self._history:
            self.show_screen("welcome", remember=False)
            return
        name, kwargs, saved = self._history.pop()
        self._open(name, dict(kwargs), remember=False, restore=saved)

    def go_home(self) -> None:
        self._history.clear()
        self.show_screen("welcome", remember=False)

    def finish_session(self) -> None:
        """"Край": wipe everything personal and return to the welcome screen."""
        self.session.end()

    # -- leaving a screen that holds input ------------------------------------------------
    def leave_question(self) -> str:
        return self.tr("What you have entered will be deleted. Do you want to cancel?")

    def ask_before_leaving(self, action: Callable[[], None]) -> None:
        """Show the question; `action` runs if the citizen confirms (Yes, or Back again)."""
        self._leave_action = action
        self.leave_label.setText(self.leave_question())
        self.stay_button.setText(self.tr("No, continue"))
        self.stay_button.setAccessibleName(self.tr("No, continue"))
        self.leave_button.setText(self.tr("Yes, delete it"))
        self.leave_button.setAccessibleName(self.tr("Yes, delete it"))
        self.leave_bar.show()
        # the page waits behind the question; the safe answer has the focus
        self.stack.setEnabled(False)
        self.stay_button.setFocus(Qt.OtherFocusReason)
        if self._current is not None:
            hint = self.tr("Press Back again to delete it, or Enter to continue.")
            self._current.announce.emit(f"{self.leave_question()} {hint}", False)

    @property
    def asking_to_leave(self) -> bool:
        return self._leave_action is not None

    def confirm_leave(self) -> None:
        action = self._leave_action
        self._hide_leave_question()
        if action is not None:
            action()

    def cancel_leave(self) -> None:
        if self._leave_action is None:
            return
        self._hide_leave_question()
        if self._current is not None:
            self._current.announce.emit(self.tr("You can continue."), False)

    def _hide_leave_question(self) -> None:
        was_asking = self._leave_action is not None
        self._leave_action = None
        self.leave_bar.hide()
        self.stack.setEnabled(True)
        if was_asking and self._current is not None:
            focus_first_button(self._current)

    # -- language ------------------------------------------------------------------
    def toggle_language(self) -> None:
        self.state.set_language("en" if self.state.language == "bg" else "bg")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("e-Municipality kiosk"))
        # in large text the arrow alone: the header's room goes to the screen's title
        self.back_button.setText("◀" if large_text() else self.tr("◀ Back"))
        self.back_button.setAccessibleName(self.tr("Back"))
        # the switch is labelled in the language it switches TO, so a visitor can read it
        self.language_button.setText("English" if self.state.language == "bg" else "Български")
        self.language_button.setAccessibleName(
            "Switch to English" if self.state.language == "bg" else "Превключи на български"
        )
        self.language_button.setProperty("speech_lang", "en" if self.state.language == "bg" else "bg")
        self.finish_button.setText(self.tr("Finish"))
        self.finish_button.setAccessibleName(self.tr("Finish and clear my data"))
        self.extend_button.setText(self.tr("More time"))
        self.extend_button.setAccessibleName(self.tr("More time"))
        if self.session.warning_active:
            self._on_warning(self.session.seconds_left())
        if self.keyboard is not None:
            # the keyboard types in the UI's language: Cyrillic for Bulgarian (a Bulgarian layout
            # the citizen chose, phonetic or БДС, stays), Latin for English
            from kiosk.views.keyboard import keyboard_layout_for

            layout = keyboard_layout_for(self.state.language, self.keyboard.layout_name)
            if layout != self.keyboard.layout_name:
                self.keyboard.set_layout(layout)
        self._update_header()

    def _on_identity_changed(self, identity) -> None:
        self._update_header()
        self.identity_changed.emit(identity)

    def _update_header(self) -> None:
        screen = self._current
        on_welcome = self._current_name in ("", "welcome")
        identity = self.session.identity
        self.back_button.setVisible(not on_welcome and (screen is None or screen.allow_back))
        self.language_button.setVisible(not on_welcome)  # the welcome screen has its own, bigger one
        # "Finish" wherever there is something to finish: a flow, or a citizen's identity
        self.finish_button.setVisible(not on_welcome or identity is not None)
        self.title_label.setText(screen.title_text() if screen else "")
        if identity is None:
            self.identity_label.clear()
            self.identity_label.setAccessibleName("")
            self.identity_label.hide()
        else:
            # the masked ЕГН first: a narrow header cuts the end of the name, not the number
            short = " ".join(w for w in (identity.given_names.split()[:1] + [identity.surname]) if w)
            text = self.tr("EGN {egn} · {name}").format(name=short, egn=masked_egn(identity.egn))
            self.identity_label.setText(text)
            self.identity_label.setAccessibleName(self.tr("ID card: {who}").format(who=text))
            self.identity_label.setProperty("spoken_text", self.tr("ID card: {who}").format(who=short))
            self.identity_label.show()

    def rebuild_current(self) -> None:
        """After a language change: rebuild the current screen in the new language."""
        if self._current is not None:
            self.retranslate()
            asking = self._leave_action
            self._open(self._current_name, dict(self._current_kwargs), remember=False,
                       restore=self._current.input_state(), rebuild=True)
            if asking is not None:  # the question stays, now in the new language
                self.ask_before_leaving(asking)

    # -- session -------------------------------------------------------------------
    def _warning_text(self, seconds: int) -> str:
        return self.tr("Are you still there? The session ends in {seconds} s. Touch “More time” to continue.").format(seconds=seconds)

    def _on_warning(self, seconds: int) -> None:
        first = not self.warning_bar.isVisible()
        self.warning_label.setText(self._warning_text(seconds))
        self.extend_button.setEnabled(self.session.can_extend)
        self.warning_bar.show()
        self.session_warning.emit(seconds)
        if first and self._current is not None:
            self._current.announce.emit(self._warning_text(seconds), False)

    def _extend(self) -> None:
        # the click's release already reached session.touch() through the filter; extend
        # explicitly too, for keypad activation paths that bypass the mouse
        if self.session.warning_active:
            self.session.extend()

    def _on_extended(self, count: int) -> None:
        self.warning_bar.hide()
        self.session_extended.emit(count)

    def _on_timed_out(self) -> None:
        self.session_timed_out.emit()

    def _on_wiped(self) -> None:
        self.warning_bar.hide()
        self._hide_leave_question()
        self._history.clear()
        self.state.on_session_end()
        if self.keyboard is not None:  # the last citizen's Latin letters or Shift are not the next one's
            self.keyboard.reset(self.state.language)
        self.show_screen("welcome", remember=False)
        self.session_ended.emit()

    # -- for the accessibility layer (kiosk.a11y.window.A11yWindow) ------------------
    def language(self) -> str:
        return self.state.language

    def session_active(self) -> bool:
        return self.session.active

    def shows_timeout_warning(self) -> bool:
        return True


def masked_egn(egn: str) -> str:
    """An ЕГН as the header shows it: only its last four digits."""
    return "•" * max(0, len(egn) - 4) + egn[-4:]
