"""`kiosk`: the citizen touch application (`--simulate` for simulated devices and shortcuts)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="e-Obshtina citizen kiosk (PySide6). Bulgarian by default; everything works offline from the "
                    "cached catalogue. `kiosk hash-pin` prints the hash of a technician PIN for the config.",
    )
    parser.add_argument("--config", type=Path, default=None,
                        help="terminal TOML config (default: $EOBSHTINA_CONFIG or /etc/eobshtina/terminal.toml; "
                             "a file named by either must exist)")
    parser.add_argument("--data-dir", type=Path, default=os.environ.get("EOBSHTINA_DATA_DIR"),
                        help="data dir with terminal.sqlite3 (default: $EOBSHTINA_DATA_DIR)")
    parser.add_argument("--simulate", action="store_true",
                        help="simulated devices; Ctrl+1 demo ID card, Ctrl+2 expired card, Ctrl+3 scan last receipt QR, Ctrl+4 printed receipts, Ctrl+5 paper out, Ctrl+6 headset, Ctrl+0 maintenance")
    parser.add_argument("--lang", choices=("bg", "en"), default=None, help="start language (default from config: bg)")
    parser.add_argument("--windowed", action="store_true", help="a 1280×800 window instead of full screen")
    parser.add_argument("--smoke", action="store_true", help="start, show the welcome screen once, and exit 0 (CI, demo checks)")
    return parser.parse_args(argv)


def hash_pin_main(argv: list[str]) -> int:
    """`kiosk hash-pin`: the PIN from stdin (or asked for) → the Argon2id hash for [kiosk].technician_pin_hash."""
    import getpass

    parser = argparse.ArgumentParser(prog="kiosk hash-pin",
                                     description="Print the Argon2id hash of a technician PIN for "
                                                 "[kiosk].technician_pin_hash (the PIN is read from stdin "
                                                 "or asked for, never taken as an argument).")
    parser.parse_args(argv)
    pin = getpass.getpass("PIN: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
    from kiosk.state.maintenance import hash_pin

    try:
        print(hash_pin(pin))
    except ValueError as exc:
        print(f"kiosk hash-pin: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["hash-pin"]:
        return hash_pin_main(argv[1:])
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from PySide6.QtWidgets import QApplication

    from kiosk.app import KioskApp, store_loader, welcome_cache_path
    from kiosk.config import KioskConfigError, load_kiosk_settings
    from server_sync.config import resolve_config_path

    # as every terminal command: a file named by --config or $EOBSHTINA_CONFIG must exist (a
    # typo must not start a kiosk on defaults); a missing default file means all defaults
    path, explicit = resolve_config_path(args.config)
    if not path.exists():
        if explicit:
            print(f"kiosk: {path}: file not found", file=sys.stderr)
            return 2
        path = None
    args.config = path
    try:
        settings = load_kiosk_settings(args.config)
    except KioskConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    if args.lang:
        settings.language = args.lang
    app = QApplication(sys.argv[:1])
    data_dir = Path(args.data_dir) if args.data_dir else None
    from hardware.config import load_hardware_config, parse_hardware_config
    from kiosk.bridge import DeviceBridge

    try:
        hw_config = load_hardware_config(args.config) if args.config is not None else parse_hardware_config({})
    except Exception as exc:  # ConfigError names the key and the file
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    bridge = DeviceBridge()

    def open_devices():
        from hardware.devices import open_devices

        return open_devices(hw_config, listener=bridge, simulate=args.simulate)

    # the welcome frame first (Qt and the light state only); the store, the catalogue and the
    # drivers load right after it (KioskApp.finish_loading), touches meanwhile are kept
    kiosk = KioskApp(app, None, settings, bridge=bridge,
                     load=store_loader(data_dir, args.simulate, open_devices, args.config),
                     welcome_cache=welcome_cache_path(data_dir))
    if args.simulate:
        from kiosk.simulator import install_shortcuts

        install_shortcuts(kiosk)
    if args.windowed:
        kiosk.window.resize(settings.screen_width_px, settings.screen_height_px)
        kiosk.window.show()
    else:
        kiosk.window.showFullScreen()
    if args.smoke:
        from PySide6.QtCore import QTimer

        def done() -> None:
            print(f"kiosk: welcome screen ready ({kiosk.window.current_screen().title_text()})", flush=True)
            app.quit()

        # the smoke check covers the deferred load too: the store, the catalogue, the devices
        if kiosk.state.is_ready:
            QTimer.singleShot(0, done)
        else:
            kiosk.state.ready.connect(lambda: QTimer.singleShot(0, done))
    try:
        status = app.exec()
        return 2 if kiosk.load_error is not None else status
    finally:
        kiosk.close()


if __name__ == "__main__":
    sys.exit(main())
