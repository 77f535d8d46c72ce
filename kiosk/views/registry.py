"""Builds the main window with every screen registered: the one place that knows screen names."""

from __future__ import annotations

from importlib import import_module

from kiosk.views.main_window import MainWindow

#: screen name → (module, class). Only the welcome screen's module is imported to build the
#: window; the others (and the pydantic models their forms use) after the first frame.
SCREENS = {
    "welcome": ("kiosk.views.home", "WelcomeScreen"),
    "catalogue": ("kiosk.views.home", "CatalogueScreen"),
    "service": ("kiosk.views.home", "ServiceScreen"),
    "identify": ("kiosk.views.request", "IdentifyScreen"),
    "request_form": ("kiosk.views.request", "RequestFormScreen"),
    "review": ("kiosk.views.request", "ReviewScreen"),
    "receipt": ("kiosk.views.receipt", "ReceiptScreen"),
    "feedback": ("kiosk.views.feedback", "FeedbackScreen"),
    "signal": ("kiosk.views.citizen", "SignalScreen"),
    "track": ("kiosk.views.tracking", "TrackScreen"),
    "dossier": ("kiosk.views.tracking", "DossierScreen"),
    "hotlines": ("kiosk.views.citizen", "HotlinesScreen"),
    "consultations": ("kiosk.views.citizen", "ConsultationsScreen"),
    "maintenance": ("kiosk.views.maintenance", "MaintenanceScreen"),
}


def screen_class(name: str):
    module, cls = SCREENS[name]
    return getattr(import_module(module), cls)


def import_screens() -> None:
    """Import every screen's module now (the app does it right after the first frame)."""
    for module in sorted({module for module, _ in SCREENS.values()}):
        import_module(module)


def build_window(state, keyboard: bool = True) -> MainWindow:
    window = MainWindow(state)
    for name in SCREENS:
        window.register_screen(name, lambda _name=name, **kw: screen_class(_name)(state, **kw))
    if keyboard:
        window.install_keyboard()
    state.language_changed.connect(lambda _lang: window.rebuild_current())
    window.show_screen("welcome", remember=False)
    return window
