"""Maintenance mode: technician entry (badge + PIN, or the local PIN), the terminal's state in words,
the test page, and leaving / restarting / rebooting with a confirmation. State: kiosk/state/maintenance.py."""

from __future__ import annotations

import math
from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit

from kiosk.views.base import Screen
from kiosk.views.widgets import ButtonGrid, big_button, paragraph, qr_pixmap


class MaintenanceScreen(Screen):
    """Technicians: badge and PIN → device states, queue and hub, test print, leave, restart, reboot."""

    def __init__(self, state) -> None:
        super().__init__()
        from kiosk.state.maintenance import IDLE_TIMEOUT_S

        self.state = state
        self.access = state.maintenance
        self.unlocked = False
        # nothing of a citizen's session is shown to, or kept for, the technician
        state.end_identity()
        layout = self.frame((32, 16, 32, 16))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.Password)
        self.pin.setPlaceholderText(self.tr("Technician PIN or badge"))
        self.pin.setAccessibleName(self.tr("Technician PIN"))
        self.pin.setMinimumHeight(56)
        self.pin.returnPressed.connect(self._unlock_typed)
        layout.addWidget(self.pin)
        self.unlock_button = big_button(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self._unlock_typed)
        self.status = paragraph("", "Result")
        self.status.setTextFormat(Qt.PlainText)
        self.status.setAccessibleName(self.tr("State of the terminal"))
        # a question to confirm leaving, restarting or rebooting (its answers in the footer)
        self.question = paragraph("", "Result")
        self.question.hide()
        layout.addWidget(self.question)
        layout.addWidget(self.status)
        self.test_page = paragraph("", "Result")  # what the test page prints (kept apart from the state)
        self.test_page.setTextFormat(Qt.PlainText)
        self.test_page.hide()
        layout.addWidget(self.test_page)
        self.qr = QLabel()
        self.qr.hide()
        layout.addWidget(self.qr)
        self.confirm_row = ButtonGrid(max_columns=2)
        self.yes_button = big_button(self.tr("Yes"))
        self.yes_button.clicked.connect(self._confirmed)
        self.no_button = big_button(self.tr("No"))
        self.no_button.clicked.connect(self._cancel_question)
        self.confirm_row.add(self.yes_button)
        self.confirm_row.add(self.no_button)
        self.confirm_row.hide()
        self._pending: str | None = None
        row = ButtonGrid(max_columns=3)
        self.refresh_button = big_button(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.test_print_button = big_button(self.tr("Test print"))
        self.test_print_button.clicked.connect(self.test_print)
        self.leave_button = big_button(self.tr("Leave maintenance"))
        self.leave_button.clicked.connect(lambda: self.ask("leave"))
        self.exit_button = big_button(self.tr("Restart the kiosk application"))
        self.exit_button.clicked.connect(lambda: self.ask("restart"))
        self.reboot_button = big_button(self.tr("Restart the terminal"))
        self.reboot_button.clicked.connect(lambda: self.ask("reboot"))
        self.action_buttons = (self.refresh_button, self.test_print_button, self.leave_button,
                               self.exit_button, self.reboot_button)
        for b in self.action_buttons:
            b.setEnabled(False)
            row.add(b)
        # the actions above the state, which may run long
        layout.insertWidget(layout.indexOf(self.status), row)
        layout.addStretch(1)
        # the footer: the entry's Unlock, or the answers to a question
        self.add_footer(self.unlock_button)
        self.add_footer(self.confirm_row)
        # left alone, maintenance mode goes back to the citizen screens
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(int(IDLE_TIMEOUT_S * 1000))
        self.idle.timeout.connect(self._timed_out)
        self.idle.start()
        self._lock_timer = QTimer(self)
        self._lock_timer.setInterval(1000)
        self._lock_timer.timeout.connect(self._show_lock)
        state.badge_presented.connect(self._on_badge)
        if self.access.lock.remaining_s() > 0:
            self._locked(self.access.lock.remaining_s(), speak=False)

    # -- entry ---------------------------------------------------------------------------------
    def _on_badge(self, uid: str) -> None:
        self.unlock(badge=uid)

    def _unlock_typed(self) -> None:
        self.unlock(pin=self.pin.text())

    def unlock(self, pin: str | None = None, badge: str | None = None) -> None:
        """Check a PIN (one Argon2id hash: at once) or a badge (a list of them: on a worker)."""
        if self.unlocked:
            return
        self.idle.start()
        if badge:
            self.access.attempt_later(self._entry, badge=badge)
            return
        self._entry(self.access.attempt(pin=pin))

    def _entry(self, attempt) -> None:
        from kiosk.state.maintenance import Entry

        if self.unlocked:
            return
        self.pin.clear()
        if attempt.entry is Entry.OPEN:
            self.unlocked = True
            self._lock_timer.stop()
            for b in self.action_buttons:
                b.setEnabled(True)
            self.pin.setEnabled(False)
            self.unlock_button.setEnabled(False)
            self.unlock_button.hide()  # the footer keeps only a question's answers
            self.test_print_button.setFocus()  # off the PIN field: the keyboard goes, the state shows
            self.refresh()
        elif attempt.entry is Entry.BADGE_WAITING:
            self._say(self.tr("Badge recognised. Enter your PIN."))
            self.pin.setFocus()
        elif attempt.entry is Entry.LOCKED:
            self._locked(attempt.wait_s)
        else:
            self._say(self.tr("Not allowed."))

    def _locked(self, wait_s: float, speak: bool = True) -> None:
        self.pin.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self._lock_timer.start()
        self._show_lock(speak=speak)

    def _show_lock(self, speak: bool = False) -> None:
        left = self.access.lock.remaining_s()
        if left <= 0:
            self._lock_timer.stop()
            self.pin.setEnabled(True)
            self.unlock_button.setEnabled(True)
            self.status.setText(self.tr("You may try again."))
            return
        minutes, seconds = divmod(math.ceil(left), 60)
        text = self.tr("Too many wrong attempts. Entry is locked for {minutes} min {seconds} s.").format(
            minutes=minutes, seconds=seconds)
        self.status.setText(text)
        if speak:
            self.announce.emit(text, False)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.announce.emit(text, False)

    # -- the state in words ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Store, hub and device state, read on a worker: a printer status query is USB I/O."""
        self.idle.start()
        self.access.audit("refresh")
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("Reading the state of the terminal…"))
        self.state.tasks.run(self.state.maintenance_report, self._show_report, self._status_failed, owner=self)

    def _show_report(self, report: dict) -> None:
        self.access.devices.update(report.get("devices") or {})
        self.status.setText("\n".join(self.report_lines(report)))
        self.refresh_button.setEnabled(self.unlocked)

    def report_lines(self, report: dict) -> list[str]:
        lines = [self.device_line(story) for story in self.access.devices.devices.values()]
        if report.get("devices_error"):
            lines.append(self.tr("Devices: cannot be read ({error})").format(error=report["devices_error"]))
        status = report.get("status") or {}
        labels = {
            "terminal": self.tr("Terminal"), "hub": self.tr("Hub"),
            "queue_depth": self.tr("Waiting to be sent"),
            "oldest_undelivered": self.tr("Oldest waiting item"),
            "rejected_by_hub": self.tr("Refused by the hub"), "last_sync": self.tr("Last synchronisation"),
            "last_error": self.tr("Last synchronisation error"), "store_error": self.tr("Store error"),
            "online": self.tr("Online"), "delivered": self.tr("Delivered"),
        }
        for key, value in status.items():
            lines.append(f"{labels.get(key, key)}: {self.value_words(value)}")
        catalogue = report.get("catalogue")
        label, none = self.tr("Catalogue version"), self.tr("none")
        lines.append(f"{label}: {catalogue or none}")
        return lines

    def value_words(self, value) -> str:
        if value is True:
            return self.tr("yes")
        if value is False:
            return self.tr("no")
        text = str(value)
        words = {"never reached": self.tr("never reached"), "never": self.tr("never"),
                 "not enrolled": self.tr("not enrolled")}
        if text in words:
            return words[text]
        return self._bilingual(text.replace(" s ago)", self.tr(" s ago)")).replace(
            " min ago)", self.tr(" min ago)")).replace(" h ago)", self.tr(" h ago)")).replace(
            " days ago)", self.tr(" days ago)")).replace("last contact ", self.tr("last contact ")))

    def _bilingual(self, text: str) -> str:
        """Driver reasons come as "на български / in English": the half of the kiosk's language,
        chosen by the kiosk's Qt translations like every other word here (the English source
        "{english}" is translated "{bulgarian}")."""
        if " / " in text:
            bulgarian, _, english = text.partition(" / ")
            return self.tr("{english}", "the English half of a device's bilingual reason").format(
                bulgarian=bulgarian, english=english)
        return text

    def device_line(self, story) -> str:
        names = {"id_reader": self.tr("ID card reader"), "scanner": self.tr("Scanner"),
                 "badge": self.tr("Badge reader"), "printer": self.tr("Printer"),
                 "speech": self.tr("Speech"), "buttons": self.tr("Buttons"), "headset": self.tr("Headset")}
        states = {"ok": self.tr("working"), "degraded": self.tr("working with a problem"),
                  "offline": self.tr("not working"), "unknown": self.tr("state unknown")}
        readers = {"id_reader", "scanner", "badge"}
        name = names.get(story.name, story.name)
        if story.state == "ok" and story.name in readers:
            said = self.tr("connected")
        elif story.reason and story.state != "ok":
            said = self._bilingual(story.reason)
        else:
            said = states.get(story.state, story.state)
        line = f"{name}: {said}"
        if story.name in readers:
            line += ", " + (self.tr("last read {time}").format(time=_hhmm(story.last_read_at))
                            if story.last_read_at else self.tr("nothing read yet"))
        if story.last_error and story.last_error_at:
            line += " — " + self.tr("error since {time}: {error}").format(
                time=_hhmm(story.last_error_at), error=self._bilingual(story.last_error))
        return line

    def _status_failed(self, exc: Exception) -> None:
        self.status.setText(self.tr("Reading the state failed: %1").replace("%1", str(exc)))
        self.refresh_button.setEnabled(self.unlocked)

    # -- actions --------------------------------------------------------------------------------
    def test_print(self) -> None:
        """Show what the test page prints, then print exactly that."""
        self.idle.start()
        lines, qr = self.state.check_page(datetime.now().astimezone())
        labels = {"code_page": self.tr("Code page"), "cyrillic": self.tr("Cyrillic"), "euro": self.tr("Euro"),
                  "terminal": self.tr("Terminal"), "time": self.tr("Time")}
        shown = [self.tr("The test page prints:")] + [f"{labels[k]}: {v}" for k, v in lines]
        shown.append(self.tr("and a QR code: {text}").format(text=qr))
        self.test_page.setText("\n".join(shown))
        self.test_page.show()
        self.qr.setPixmap(qr_pixmap(qr, 160))
        self.qr.show()
        self.access.audit("test print")
        self.state.test_print((lines, qr), on_error=self._print_failed)

    def _print_failed(self, exc: Exception) -> None:
        text = self.tr("The test page was not printed: {error}").format(error=self._bilingual(str(exc)))
        self.access.audit(f"test print failed: {exc}")
        self._say(self.status.text() + "\n" + text)

    def ask(self, action: str) -> None:
        self.idle.start()
        questions = {"leave": self.tr("Leave maintenance mode and go back to the citizen screens?"),
                     "restart": self.tr("Restart the kiosk application now?"),
                     "reboot": self.tr("Restart the whole terminal now?")}
        self._pending = action
        self.question.setText(questions[action])
        self.question.show()
        self.confirm_row.show()
        self.no_button.setFocus()
        self.reveal(self.question)
        self.announce.emit(questions[action], False)

    def _cancel_question(self) -> None:
        self.idle.start()
        self._pending = None
        self.question.hide()
        self.confirm_row.hide()

    def _confirmed(self) -> None:
        action, self._pending = self._pending, None
        self.question.hide()
        self.confirm_row.hide()
        if action == "leave":
            self.access.audit("left maintenance mode")
            self._back_to_citizens()
        elif action == "restart":
            self.access.audit("restart of the kiosk application")
            self.state.exit_requested.emit()
        elif action == "reboot":
            self.access.audit("reboot of the terminal")
            self.state.reboot_requested.emit()

    def _timed_out(self) -> None:
        self.access.audit("maintenance mode timed out" if self.unlocked else "entry screen timed out")
        self._back_to_citizens()

    def _back_to_citizens(self) -> None:
        self.idle.stop()
        self.unlocked = False
        self.state.on_session_end()
        if self.state.session.active:
            self.state.session.end()
        self.navigate.emit("welcome", {})

    def wipe(self) -> None:
        self.idle.stop()
        self._lock_timer.stop()
        try:
            self.state.badge_presented.disconnect(self._on_badge)
        except (RuntimeError, TypeError):
            pass

    def title_text(self) -> str:
        return self.tr("Maintenance")

    def instructions_text(self) -> str:
        return self.tr("For technicians only.")


def _hhmm(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M") if moment else "—"
