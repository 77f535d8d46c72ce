"""Composition root: config, backend (store + hub client), devices, the bridge and the window."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.bridge import DeviceBridge
from kiosk.gui_gc import pin_gc_to_gui_thread
from kiosk.i18n import LanguageSwitcher
from kiosk.state.kiosk_state import KioskSettings, KioskState
from kiosk.state.paper import check_page_receipt, printable_receipt
from kiosk.views import widgets
from kiosk.views.registry import build_window
from kiosk.views.style import DEFAULT_QSS

log = logging.getLogger(__name__)


def request_reboot() -> None:
    """A technician confirmed a reboot in maintenance mode: ask logind (polkit decides)."""
    import subprocess

    log.warning("maintenance: reboot requested")
    try:
        subprocess.Popen(["systemctl", "reboot"], stdin=subprocess.DEVNULL)
    except OSError as exc:
        log.error("reboot failed: %s", exc)


def make_backend(data_dir: Path | None, simulate: bool, config: Any = None):
    """The real store + hub client; `--simulate` without a data dir gets the in-memory stand-in.

    The terminal config's (`server_sync.config.TerminalConfig`, read once by the caller; None:
    the defaults) `[hub]` (url, CA) and `[sync] immediate_delivery_timeout_s` apply to the
    kiosk's own hub calls exactly as they do to the agent's."""
    if data_dir is not None:
        from kiosk.store_backend import StoreBackend, configured_client_factory

        if config is None:
            from server_sync.config import TerminalConfig

            config = TerminalConfig()
        return StoreBackend(data_dir, deliver_timeout_s=config.sync.immediate_delivery_timeout_s,
                            client_factory=configured_client_factory(config.hub))
    if not simulate:
        raise SystemExit("kiosk: a data dir is needed (--data-dir or EOBSHTINA_DATA_DIR)")
    from kiosk.demo_catalogue import demo_catalogue
    from kiosk.simulated_backend import SimulatedBackend

    log.warning("no data dir: using the in-memory simulated backend and the demo catalogue")
    return SimulatedBackend(demo_catalogue())


def open_headset(devices: Any, mode: Any = "auto") -> tuple[Any, bool]:
    """The headset plug detector and whether we own it (close it): `mode` is a detector, or
    "simulated" | "evdev" | "none" | "auto". Auto: the devices' own `headset` if they have one;
    a simulation when the devices are simulated (--simulate); else the sound card's evdev jack
    switch when there is one. No detector is not an error (the Raspberry Pi's jack reports
    nothing): speech mode still starts from the keypad, it is only logged."""
    from hardware.headset import EvdevHeadsetDetector, SimulatedHeadset

    if mode is None or mode == "none":
        return None, False
    if not isinstance(mode, str):
        return mode, False
    if mode == "simulated":
        return SimulatedHeadset(), True
    if mode == "auto":
        own = getattr(devices, "headset", None) if devices is not None else None
        if own is not None:
            return own, False
        if devices is None:
            log.info("headset: no devices, no plug detection")
            return None, False
        simulated = any(type(getattr(devices, name, None)).__name__.startswith("Simulated")
                        for name in ("id_reader", "scanner", "badge", "buttons", "printer"))
        if simulated:
            log.info("headset: simulated plug detection (simulated devices)")
            return SimulatedHeadset(), True
        from hardware.devices import Devices

        if not isinstance(devices, Devices):
            log.info("headset: no plug detection for these devices")
            return None, False
    elif mode != "evdev":
        raise ValueError(f"headset: unknown mode {mode!r} (simulated, evdev, none, auto)")
    try:
        detector = EvdevHeadsetDetector()
    except Exception as exc:  # DeviceUnavailable, no evdev module, no permission: not fatal
        log.info("headset: no plug detection (%s); speech mode starts from the keypad", exc)
        return None, False
    log.info("headset: plug detection from the sound card's jack switch")
    return detector, True


class _FirstFrame(QObject):
    """Calls `then` once, from the event loop, after `window` has painted its first frame."""

    def __init__(self, window, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window, self._then = window, then
        window.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint and obj is self._window:
            self._window.removeEventFilter(self)
            # the paint is still in progress: the load starts once this frame is on screen
            QTimer.singleShot(0, self._then)
        return False


def welcome_cache_path(data_dir: Path | None) -> Path | None:
    """Where the welcome screen's names are cached: beside the terminal store."""
    from kiosk.state.welcome_cache import FILE_NAME

    return Path(data_dir) / FILE_NAME if data_dir is not None else None


def store_loader(data_dir: Path | None, simulate: bool, open_devices: Callable[[Any], Any] | None = None,
                 config: Callable[[], Any] | None = None) -> Callable[[], tuple[Any, Any]]:
    """What `KioskApp(load=…)` runs after the first frame: the whole terminal config validated
    (`config()`, e.g. `kiosk.config.kiosk_document`: a ConfigError stops the kiosk), the backend
    (store, catalogue) and the devices (`open_devices(document)`). `make_backend`'s checks stay
    synchronous: a kiosk without a data dir fails at once."""
    if data_dir is None and not simulate:
        raise SystemExit("kiosk: a data dir is needed (--data-dir or EOBSHTINA_DATA_DIR)")

    def load() -> tuple[Any, Any]:
        document = config() if config is not None else None
        backend = make_backend(data_dir, simulate, document)
        try:
            devices = open_devices(document) if open_devices is not None else None
        except BaseException:
            getattr(backend, "close", lambda: None)()
            raise
        return backend, devices

    return load


class KioskApp:
    """Everything one kiosk process owns; `window` is the MainWindow, `devices` the open drivers.

    Given a `backend`, everything is ready when the constructor returns (tests, tools). Given
    `load` instead (the real kiosk: `kiosk.__main__`), the window is built with only Qt and the
    light state modules, the welcome screen shows the names cached in `welcome_cache`, and
    `load()` → (backend, devices) runs right after the window's first frame (`finish_loading`):
    the store, the catalogue, the drivers and the accessibility layer. A tile touched before that
    opens its screen once the load is done (KioskState.when_ready).
    """

    def __init__(self, app: QApplication, backend, settings: KioskSettings | None = None, *,
                 devices: Any = None, bridge: DeviceBridge | None = None, keyboard: bool = True,
                 accessibility: bool = True, clock=None, headset: Any = "auto",
                 load: Callable[[], tuple[Any, Any]] | None = None,
                 welcome_cache: Path | None = None) -> None:
        if (backend is None) == (load is None):
            raise ValueError("KioskApp needs a backend or a load function, not both")
        self.app = app
        pin_gc_to_gui_thread()  # worker threads must never run a collection that frees widgets
        self.settings = settings or KioskSettings()
        self.backend = backend
        self.devices = None
        self.welcome_cache = welcome_cache
        self._load = load
        #: what stopped the deferred load, if it failed (the app then exits with status 2)
        self.load_error: BaseException | None = None
        widgets.set_min_target(self.settings.min_target_px)
        self.switcher = LanguageSwitcher(app)
        self.switcher(self.settings.language)
        app.setStyleSheet(DEFAULT_QSS)
        self.bridge = bridge or DeviceBridge()
        from kiosk.state.session import Session
        from kiosk.state.welcome_cache import read_welcome_names

        session = Session(self.settings.timeouts, clock=clock) if clock is not None else None
        names = read_welcome_names(welcome_cache) if load is not None else None
        self.state = KioskState(backend, self.settings, session=session, apply_language=self.switcher,
                                welcome_names=names)
        from kiosk.maintenance import badge_checker, badge_entries

        # only Argon2id hashes are kept; an old sha256 entry or a UID in clear is dropped, with a warning
        self.settings.badge_uids = badge_entries(self.settings.badge_uids)
        self.state.badge_allowed = badge_checker(self.settings.badge_uids)
        self.bridge.connect_state(self.state)
        self.window = build_window(self.state, keyboard=keyboard)
        self.health_reporter = None
        self.state.exit_requested.connect(app.quit)
        self.state.reboot_requested.connect(request_reboot)
        from kiosk.watchdog import SystemdNotifier

        #: READY=1 after the first frame, WATCHDOG=1 from a GUI-thread timer, STATUS= (kiosk.watchdog)
        self.notifier = SystemdNotifier(self.window, problem=self._device_problem)
        # the agent refreshes the store's catalogue; pick it up between citizens, never mid-session
        self._catalogue_timer = QTimer(self.window)
        self._catalogue_timer.setInterval(15_000)
        self._catalogue_timer.timeout.connect(self.refresh_catalogue)
        self._catalogue_timer.start()
        self.a11y: Any = None
        #: the headset plug detector (hardware.headset), or None: plugging in starts speech mode
        self.headset: Any = None
        self._own_headset = False
        self._accessibility, self._headset_mode = accessibility, headset
        if load is None:
            self._attach(devices)
        else:
            self._first_frame = _FirstFrame(self.window, self.finish_loading)

    def _attach(self, devices: Any) -> None:
        """Wire the devices (printer, health, speech) once they are open."""
        self.devices = devices
        data_dir = getattr(getattr(self.backend, "store", None), "data_dir", None)
        if data_dir is not None and getattr(self, "activity", None) is None:
            from kiosk.activity import ActivityReporter

            #: a citizen's session or a print under way, for the agent's software updates
            self.activity = ActivityReporter(self.state, data_dir, parent=self.window)
        if devices is not None and getattr(devices, "printer", None) is not None:
            self.state.printer = lambda receipt: devices.printer.print_receipt(printable_receipt(receipt, self.state))
            if getattr(self, "activity", None) is not None:
                self.state.printer = self.activity.wrap_printer(self.state.printer)
            self.state.printer_paper = devices.printer.paper_status
        if devices is not None:
            self.state.device_health = self._device_health
            self.state.device_healths = devices.health
            printer = getattr(devices, "printer", None)
            if printer is not None:
                self.state.print_test_page = lambda lines, qr: printer.print_receipt(check_page_receipt(lines, qr))
                self.state.printer_code_page = str(getattr(getattr(printer, "config", None), "code_page", "") or "") or None
        if getattr(self.backend, "audit", None) is not None:
            self.state.maintenance.sink = self.backend.audit
        if getattr(self.backend, "maintenance_lock", None) is not None:
            try:
                self.state.maintenance.keep_lock_in(self.backend.maintenance_lock, self.backend.keep_maintenance_lock)
            except Exception as exc:  # a store that cannot be read must not stop the kiosk
                log.error("maintenance lock not restored: %s", exc)
        self.health_reporter = self._start_health_reporting()
        if self._accessibility:
            self._start_accessibility()
            self._start_headset(self._headset_mode)

    def finish_loading(self) -> bool:
        """The deferred half of the start (see the class): True once loaded, False if there was
        nothing to load (already loaded, or built with a backend) or the load failed."""
        if self._load is None:
            return False
        load, self._load = self._load, None
        try:
            backend, devices = load()
        except BaseException as exc:  # a broken store stops the kiosk as it did before the first frame
            from hardware.base import ConfigError

            # a bad config names its file and key in one line: no traceback for it
            log.critical("the kiosk could not load its config, store and devices: %s", exc,
                         exc_info=not isinstance(exc, ConfigError))
            self.load_error = exc
            self.app.exit(2)
            return False
        self.backend = backend
        self._attach(devices)
        self.state.set_backend(backend)  # runs what was touched meanwhile
        self._save_welcome_names()
        current = self.window.current_screen()
        if self.window.current_screen_name() == "welcome" and getattr(current, "outdated", lambda: False)():
            # first boot (no cache) or a renamed office: the only case the welcome frame changes
            self.window.show_screen("welcome", remember=False)
        from kiosk.views.registry import import_screens

        import_screens()  # the other pages' modules, so the first touch on each is not slower
        return True

    def _save_welcome_names(self) -> None:
        catalogue = self.state.catalogue
        if self.welcome_cache is None or catalogue is None:
            return
        from kiosk.state.welcome_cache import WelcomeNames, read_welcome_names, write_welcome_names

        names = WelcomeNames.from_catalogue(catalogue)
        if names == read_welcome_names(self.welcome_cache):
            return
        try:
            write_welcome_names(self.welcome_cache, names)
        except OSError as exc:  # a read-only data dir costs only the names on the next first frame
            log.warning("could not write the welcome names cache %s: %s", self.welcome_cache, exc)

    def _start_accessibility(self) -> None:
        try:
            from kiosk.a11y import A11yConfig, AccessibilityController
        except ImportError:
            log.warning("accessibility layer not installed")
            return
        speech = getattr(self.devices, "speech", None) if self.devices is not None else None
        try:
            # the panel's geometry, viewing distance and repeat guard from [kiosk]
            self.a11y = AccessibilityController(self.window, speech, A11yConfig.from_settings(self.settings))
        except Exception:  # the kiosk stays usable by sight even if speech fails to start
            log.exception("accessibility layer failed to start")

    def _start_headset(self, mode: Any) -> None:
        if self.a11y is None:
            return
        try:
            self.headset, self._own_headset = open_headset(self.devices, mode)
        except Exception:  # the keypad still starts speech mode
            log.exception("headset detection failed to start")
            return
        if self.headset is not None:
            # a headset already plugged in is reported at once; later changes arrive from the
            # detector's thread and are queued to the GUI thread by the controller
            self.headset.set_listener(self.a11y)

    def refresh_catalogue(self) -> bool:
        """Reload the cached catalogue if it changed and nobody is using the kiosk."""
        if self.state.session.active or not self.state.is_ready:
            return False
        try:
            fresh = self.backend.catalogue()
        except Exception:
            log.exception("reading the cached catalogue failed")
            return False
        current = self.state.catalogue
        if fresh is None or (current is not None and fresh.version == current.version):
            return False
        self.state.reload_catalogue()
        self._save_welcome_names()
        if self.window.current_screen_name() == "welcome":
            self.window.show_screen("welcome", remember=False)
        return True

    def _start_health_reporting(self):
        """Every device's state change goes to the store, so the agent's heartbeats carry it."""
        report = getattr(self.backend, "report_device", None)
        if self.devices is None or report is None:
            return None
        from kiosk.maintenance import DeviceHealthReporter

        reporter = DeviceHealthReporter(self.devices, report, self.state.tasks, parent=self.window)
        self.bridge.device_state.connect(reporter.on_device_state)
        self.state.printer_status.connect(reporter.poll)  # paper out shows after a print
        reporter.start()
        return reporter

    def _device_problem(self) -> str | None:
        """The first device that is not OK, as the health reporter last saw it (no I/O here)."""
        last = getattr(self.health_reporter, "last", None) or {}
        for name, health in sorted(last.items()):
            state = getattr(getattr(health, "state", None), "value", "ok")
            if state != "ok":
                reason = getattr(health, "reason", None)
                return f"{name}: {state}{' — ' + reason if reason else ''}"
        return None

    def _device_health(self) -> dict[str, str]:
        try:
            return {name: f"{h.state.value}{' — ' + h.reason if h.reason else ''}"
                    for name, h in self.devices.health().items()}
        except Exception as exc:
            return {"devices": f"error: {exc}"}

    def close(self) -> None:
        """Stop timers, speech and devices and detach from the application; safe to call twice."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        if self.headset is not None:
            self.headset.set_listener(None)
            if self._own_headset:
                self.headset.close()
        if self.a11y is not None:
            self.a11y.close()
        if self.health_reporter is not None:
            self.health_reporter.stop()
        self.notifier.stop()
        self.window.shutdown()
        self.switcher("en")  # uninstall our translator from the (shared) application
        if self.devices is not None:
            self.devices.close()
        close = getattr(self.backend, "close", None) if self.backend is not None else None
        if close:
            close()
