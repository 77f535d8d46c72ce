"""Touch and platform details: the embedded keyboard, target sizes, names, kinetic lists, the bridge."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QScrollArea, QScroller

from kiosk.app import KioskApp
from kiosk.demo_catalogue import demo_catalogue
from kiosk.simulated_backend import SimulatedBackend
from kiosk.simulator import demo_cards
from kiosk.state.kiosk_state import KioskSettings
from kiosk.views.keyboard import LAYOUTS
from kiosk.views.registry import SCREENS
from tests.kiosk.teardown import dispose_kiosk


@pytest.fixture
def app_kiosk(qtbot):
    backend = SimulatedBackend(demo_catalogue())
    kiosk = KioskApp(QApplication.instance(), backend, KioskSettings(office_id="centre", technician_pin="1234"),
                     accessibility=False)
    kiosk.state.printer = lambda receipt: None
    kiosk.window.resize(1280, 800)
    kiosk.window.show()
    yield kiosk
    dispose_kiosk(qtbot, kiosk)


def _key(window, label):
    return next(b for b in window.keyboard.findChildren(QAbstractButton) if b.text() == label and b.isVisible())


def test_keyboard_appears_for_a_field_and_types_bulgarian_phonetic_bds_and_english(app_kiosk, qtbot):
    w = app_kiosk.window
    w.show_screen("catalogue", mode="situations")
    assert not w.keyboard.isVisible()  # focus rests on the page until a field is touched
    search = w.current_screen().search
    qtbot.mouseClick(search, Qt.LeftButton)
    qtbot.waitUntil(w.keyboard.isVisible)
    assert w.keyboard.geometry().bottom() <= w.height()  # embedded, inside the window
    for label in "скица":  # phonetic layout: с=s, к=k, и=i, ц=c, а=a
        qtbot.mouseClick(_key(w, label), Qt.LeftButton)
    assert search.text() == "скица" and search.hasFocus()
    w.keyboard.set_layout("bg_bds")
    assert "".join(LAYOUTS["bg_bds"]).startswith("уеишщ")
    qtbot.mouseClick(_key(w, "⇧"), Qt.LeftButton)
    qtbot.mouseClick(_key(w, "У"), Qt.LeftButton)
    assert search.text() == "скицаУ"
    qtbot.mouseClick(_key(w, "⌫"), Qt.LeftButton)
    w.keyboard.set_layout("en")
    qtbot.mouseClick(_key(w, "q"), Qt.LeftButton)
    assert search.text() == "скицаq"
    w.show_screen("welcome")
    qtbot.waitUntil(lambda: not w.keyboard.isVisible())


def _walk(kiosk):
    w, state = kiosk.window, kiosk.state
    from hardware.idcard import parse_mrz

    state.accept_document(parse_mrz(demo_cards()["valid"]))
    kwargs = {
        "service": {"service_id": "heirs-certificate"}, "request_form": {"service_id": "heirs-certificate"},
        "identify": {"then": "welcome"}, "catalogue": {"mode": "situations"},
    }
    for name in SCREENS:
        if name in ("review", "receipt"):
            continue
        yield name, w.show_screen(name, **kwargs.get(name, {}))


def test_every_interactive_widget_is_big_enough_and_named(app_kiosk, qtbot):
    min_px = app_kiosk.settings.min_target_px
    assert min_px >= 54  # 9 mm on a 10.1" 1280×800 panel
    for name, screen in _walk(app_kiosk):
        qtbot.waitUntil(lambda: not app_kiosk.state.tasks.busy)
        QApplication.processEvents()
        for widget in screen.findChildren(QAbstractButton) + screen.findChildren(QLineEdit):
            if not widget.isVisibleTo(screen):
                continue
            assert widget.accessibleName(), f"{name}: {type(widget).__name__} {widget.text()!r} has no accessible name"
            if isinstance(widget, QAbstractButton) and widget.__class__.__name__ == "QPushButton":
                assert widget.minimumHeight() >= min_px or widget.height() >= min_px, f"{name}: {widget.text()!r} too small"


def test_lists_scroll_kinetically(app_kiosk):
    app_kiosk.window.show_screen("hotlines")
    areas = app_kiosk.window.current_screen().findChildren(QScrollArea)
    assert areas and all(QScroller.hasScroller(a.viewport()) for a in areas)


def test_bridge_delivers_driver_thread_callbacks_on_the_gui_thread(app_kiosk, qtbot):
    seen = []
    app_kiosk.state.document_read.connect(lambda ident: seen.append(QThread.currentThread()))
    from hardware.idcard import parse_mrz

    doc = parse_mrz(demo_cards()["valid"])
    driver = threading.Thread(target=app_kiosk.bridge.on_document, args=(doc,))
    driver.start()
    driver.join()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] is QApplication.instance().thread()
    assert app_kiosk.state.session.identity.egn == doc.egn


def test_language_switch_rebuilds_the_screen_in_english(app_kiosk, qtbot):
    w = app_kiosk.window
    w.show_screen("service", service_id="heirs-certificate")
    texts = lambda: [b.text() for b in w.findChildren(QAbstractButton) if b.isVisible()]
    assert "Подай тук с личната си карта" in texts()
    w.language_button.click()
    qtbot.waitUntil(lambda: "Apply here with my ID card" in texts())
    assert w.current_screen_name() == "service" and w.title_label.text() == "Heirs' certificate"


def test_cli_help_and_simulated_start(tmp_path):
    import os
    import subprocess
    import sys

    empty = tmp_path / "empty.toml"  # not the machine's /etc config; a named file must exist
    empty.write_text("")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EOBSHTINA_CONFIG": str(empty)}
    env.pop("EOBSHTINA_DATA_DIR", None)
    out = subprocess.run([sys.executable, "-m", "kiosk", "--help"], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0 and "--simulate" in out.stdout and "--data-dir" in out.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk]\nwarning_seconds = 5\n")
    out = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(bad), "--simulate", "--smoke"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 2 and "bad.toml" in out.stderr and "warning_seconds" in out.stderr
    out = subprocess.run([sys.executable, "-m", "kiosk", "--simulate", "--windowed", "--smoke"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "kiosk: welcome screen ready" in out.stdout


def test_a_touched_field_and_its_label_stay_in_view_above_the_keyboard(app_kiosk, qtbot):
    """The keyboard takes the lower half of the screen: the field typed into must not hide under it."""
    from hardware.idcard import parse_mrz

    w = app_kiosk.window
    app_kiosk.state.accept_document(parse_mrz(demo_cards()["valid"], allow_expired=True))
    w.show_screen("request_form", service_id="heirs-certificate")
    screen = w.current_screen()
    fields = [e for e in screen.findChildren(QLineEdit) if not e.isReadOnly()]
    area = next(a for a in screen.findChildren(QScrollArea) if a.isAncestorOf(fields[0]))
    for field in (fields[-1], fields[len(fields) // 2]):
        label = next(lab for lab in screen.findChildren(QLabel) if lab.objectName() == "FieldLabel"
                     and lab.text().rstrip(" *") == field.accessibleName())
        qtbot.mouseClick(field, Qt.LeftButton)
        qtbot.waitUntil(w.keyboard.isVisible)
        viewport = area.viewport()

        def shown(widget):
            top = widget.mapTo(viewport, widget.rect().topLeft()).y()
            return top >= 0 and top + widget.height() <= viewport.height()

        qtbot.waitUntil(lambda: shown(field) and shown(label))
        assert field.hasFocus() and viewport.mapTo(w, viewport.rect().bottomLeft()).y() <= w.keyboard.y()
