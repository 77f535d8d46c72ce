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
                    "cached catalogue. `kiosk hash-pin` and `kiosk hash-badge` print the hash of a technician "
                    "PIN or badge UID for the config.",
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


def _hash_secret_main(argv: list[str], command: str, what: str, key: str, prompt: str, hasher) -> int:
    """`kiosk hash-pin` / `kiosk hash-badge`: a secret from stdin (or asked for, never an argument)
    → the Argon2id hash to write in the config."""
    import getpass

    parser = argparse.ArgumentParser(prog=f"kiosk {command}",
                                     description=f"Print the Argon2id hash of {what} for [kiosk].{key} (read "
                                                 "from stdin or asked for, never taken as an argument).")
    parser.parse_args(argv)
    secret = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().strip()
    try:
        print(hasher(secret))
    except ValueError as exc:
        print(f"kiosk {command}: {exc}", file=sys.stderr)
        return 2
    return 0


def hash_pin_main(argv: list[str]) -> int:
    from kiosk.state.maintenance import hash_pin

    return _hash_secret_main(argv, "hash-pin", "a technician PIN", "technician_pin_hash", "PIN: ", hash_pin)


def hash_badge_main(argv: list[str]) -> int:
    from kiosk.maintenance import hash_badge

    return _hash_secret_main(argv, "hash-badge", "a technician's badge UID, as the reader gives it", "badge_uids",
                             "Badge UID: ", hash_badge)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["hash-pin"]:
        return hash_pin_main(argv[1:])
    if argv[:1] == ["hash-badge"]:
        return hash_badge_main(argv[1:])
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from PySide6.QtWidgets import QApplication

    from hardware.base import ConfigError
    from hardware.config_file import read_config_file
    from kiosk.app import KioskApp, store_loader, welcome_cache_path
    from kiosk.config import first_frame_settings, kiosk_document

    # the file is read once, here. As every terminal command: a file named by --config or
    # $EOBSHTINA_CONFIG must exist (a typo must not start a kiosk on defaults); a missing
    # default file means all defaults
    try:
        config_file = read_config_file(args.config)
        settings = first_frame_settings(config_file)
    except ConfigError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    if args.lang:
        settings.language = args.lang
    app = QApplication(sys.argv[:1])
    data_dir = Path(args.data_dir) if args.data_dir else None
    from kiosk.bridge import DeviceBridge

    bridge = DeviceBridge()

    def open_devices(document):
        from hardware.devices import open_devices

        return open_devices(document.hardware, listener=bridge, simulate=args.simulate)

    # the welcome frame first (Qt and the light state only); the whole config validated, the
    # store, the catalogue and the drivers right after it (KioskApp.finish_loading), touches
    # meanwhile are kept
    kiosk = KioskApp(app, None, settings, bridge=bridge,
                     load=store_loader(data_dir, args.simulate, open_devices, lambda: kiosk_document(config_file)),
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
        if isinstance(kiosk.load_error, ConfigError):
            print(f"kiosk: {kiosk.load_error}", file=sys.stderr)
        return 2 if kiosk.load_error is not None else status
    finally:
        kiosk.close()


if __name__ == "__main__":
    sys.exit(main())
