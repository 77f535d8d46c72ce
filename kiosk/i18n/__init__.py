"""Loads the kiosk's Qt translations; source strings are English, Bulgarian comes from kiosk_bg.qm.

Workflow: `pyside6-lupdate kiosk/views/*.py kiosk/state/*.py -ts kiosk/i18n/kiosk_bg.ts -no-obsolete`, translate the
new entries (Qt Linguist or by hand), `pyside6-lrelease kiosk/i18n/kiosk_bg.ts -qm kiosk/i18n/kiosk_bg.qm`.
tests/kiosk/test_i18n.py fails while any source string is untranslated.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

HERE = Path(__file__).resolve().parent
TS_FILE = HERE / "kiosk_bg.ts"
QM_FILE = HERE / "kiosk_bg.qm"


class LanguageSwitcher:
    """Installs the Bulgarian translator for "bg" and removes it for "en"."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.translator = QTranslator()
        if not self.translator.load(str(QM_FILE)):
            raise FileNotFoundError(f"{QM_FILE}: missing or unreadable; run pyside6-lrelease {TS_FILE} -qm {QM_FILE}")
        self.installed = False

    def __call__(self, lang: str) -> None:
        if lang == "bg" and not self.installed:
            self.app.installTranslator(self.translator)
            self.installed = True
        elif lang == "en" and self.installed:
            self.app.removeTranslator(self.translator)
            self.installed = False
