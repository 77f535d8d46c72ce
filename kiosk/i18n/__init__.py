"""Loads the kiosk's Qt translations; source strings are English, Bulgarian comes from kiosk_bg.qm.

Workflow: `pyside6-lupdate kiosk/views/*.py kiosk/state/*.py kiosk/a11y/strings.py -ts kiosk/i18n/kiosk_bg.ts
-no-obsolete`, translate the new entries (Qt Linguist or by hand),
`pyside6-lrelease kiosk/i18n/kiosk_bg.ts -qm kiosk/i18n/kiosk_bg.qm`.
tests/kiosk/test_i18n.py fails while any source string is untranslated.

Two ways to reach the catalogue: the screens translate through the application's installed
translator (`LanguageSwitcher`, `QCoreApplication.translate`); a text wanted in a given language
whatever the screens show at that instant (the speech layer announcing the language just chosen)
asks that language's own translator (`translated`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

HERE = Path(__file__).resolve().parent
TS_FILE = HERE / "kiosk_bg.ts"
QM_FILE = HERE / "kiosk_bg.qm"

#: the language of the source strings: it needs no catalogue
SOURCE_LANGUAGE = "en"
#: the language the kiosk speaks when it is asked for one it does not know
DEFAULT_LANGUAGE = "bg"
#: the compiled catalogue of every language other than the source
CATALOGUES: dict[str, Path] = {"bg": QM_FILE}

_translators: dict[str, QTranslator] = {}


def _load(path: Path) -> QTranslator:
    translator = QTranslator()
    if not translator.load(str(path)):
        raise FileNotFoundError(f"{path}: missing or unreadable; run pyside6-lrelease {path.with_suffix('.ts')} -qm {path}")
    return translator


def translator_for(lang: str) -> QTranslator | None:
    """The translator of `lang`, loaded once and kept; None for the source language (English).
    An unknown language gets the default language's."""
    if lang == SOURCE_LANGUAGE:
        return None
    if lang not in CATALOGUES:
        lang = DEFAULT_LANGUAGE
    if lang not in _translators:
        _translators[lang] = _load(CATALOGUES[lang])
    return _translators[lang]


def translated(lang: str, context: str, source: str, disambiguation: str | None = None) -> str:
    """`source` (English) as `lang`'s catalogue words it, without installing that catalogue; the
    source itself in English or when the catalogue has no entry for it."""
    translator = translator_for(lang)
    if translator is None:
        return source
    return translator.translate(context, source, disambiguation) or source


class LanguageSwitcher:
    """Installs the Bulgarian translator for "bg" and removes it for "en"."""

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.translator = _load(QM_FILE)
        self.installed = False

    def __call__(self, lang: str) -> None:
        if lang == "bg" and not self.installed:
            self.app.installTranslator(self.translator)
            self.installed = True
        elif lang == "en" and self.installed:
            self.app.removeTranslator(self.translator)
            self.installed = False
