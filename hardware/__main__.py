"""Technician tools: `python -m hardware diag | print-test | mrz-parse | read-id | say | receipt-demo`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any, Sequence

from hardware.base import ConfigError, DeviceState, HardwareError
from hardware.config_file import DEFAULT_CONFIG_PATH as DEFAULT_CONFIG

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def _spoken_text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("nothing to say: the text is empty")
    return text


def _config(args: argparse.Namespace):
    """[hardware.*] of --config, else $EOBSHTINA_CONFIG (either must exist), else the default file if present."""
    from hardware.config import hardware_config
    from hardware.config_file import read_config_file

    return hardware_config(read_config_file(args.config))


def cmd_diag(args: argparse.Namespace) -> int:
    from hardware.devices import open_devices
    from hardware.health import system_health

    config = _config(args)
    with open_devices(config, listener=None, simulate=args.simulate) as devices:
        health = devices.health()
    system = system_health(args.data_dir)
    if args.json:
        print(json.dumps({"config": config.source, "devices": {k: v.as_dict() for k, v in health.items()},
                          "system": system.__dict__}, ensure_ascii=False, indent=2))
    else:
        print(f"config: {config.source}")
        if not health:
            print("no devices configured")
        for name, h in health.items():
            print(f"{name:<10} {h.state.value:<9} {h.reason or ''}".rstrip())
        s = system.as_health()
        print(f"{'system':<10} {s.state.value:<9} {s.reason or ''}".rstrip())
        print(f"  cpu_temp_c={system.cpu_temp_c} under_voltage={system.under_voltage} "
              f"disk_free_bytes={system.disk_free_bytes}")
    return EXIT_FAILED if any(h.state is DeviceState.OFFLINE for h in health.values()) else EXIT_OK


def cmd_print_test(args: argparse.Namespace) -> int:
    from hardware.printer import open_printer, sample_receipt

    config = _config(args).printer
    if config.backend == "none":
        print("hardware.printer.backend is 'none': no printer configured", file=sys.stderr)
        return EXIT_FAILED
    receipt = sample_receipt()
    printer = open_printer(config)
    try:
        printer.print_receipt(receipt)
        health = printer.health()
    except HardwareError as exc:
        print(f"print failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        printer.close()
    if args.png:
        Path(args.png).write_bytes(printer.preview_png(receipt))
    print(f"printed on {config.backend}; status: {health.state.value} {health.reason or ''}".rstrip())
    return EXIT_OK


def cmd_mrz_parse(args: argparse.Namespace) -> int:
    from hardware.idcard import MrzError, parse_mrz
    from hardware.serial_input import LineFramer

    # What a reader sends, as the serial path takes it: STX/ETX frames, CR, LF or CRLF, any case.
    framer = LineFramer(max_line=1024)
    lines = framer.feed(sys.stdin.buffer.read()) + framer.feed(b"\n")
    text = "\n".join(lines)
    try:
        document = parse_mrz(text, today=args.today, allow_expired=args.allow_expired)
    except MrzError as exc:
        print(json.dumps({"error": exc.code, "message_bg": exc.message_bg, "message_en": exc.message_en},
                         ensure_ascii=False), file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps(document.as_dict(), ensure_ascii=False, indent=2))
    return EXIT_OK


class _FirstDocument:
    def __init__(self) -> None:
        self.document: Any = None
        self.done = threading.Event()

    def on_document(self, document: Any) -> None:
        self.document = document
        self.done.set()

    def on_read_error(self, error: Any) -> None:
        print(f"read error: {getattr(error, 'message_en', error)}", file=sys.stderr)

    def on_state(self, health: Any) -> None:
        print(f"reader: {health.state.value} {health.reason or ''}".rstrip(), file=sys.stderr)


def cmd_read_id(args: argparse.Namespace) -> int:
    from hardware.idcard import SerialMrzReader

    if not os.path.exists(args.serial):
        print(f"no such serial device: {args.serial} (is the reader plugged in? try ls /dev/serial/by-id/)",
              file=sys.stderr)
        return EXIT_FAILED
    listener = _FirstDocument()
    reader = SerialMrzReader(listener, device=args.serial, baudrate=args.baudrate)
    try:
        if not listener.done.wait(args.timeout):
            print(f"no document read from {args.serial} within {args.timeout:g} s", file=sys.stderr)
            return EXIT_FAILED
    finally:
        reader.close()
    print(json.dumps(listener.document.as_dict(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_say(args: argparse.Namespace) -> int:
    from hardware.speech import open_speech, synthesize_to_wav

    if args.out:
        synthesize_to_wav(args.text, args.lang, args.out)
        print(args.out)
        return EXIT_OK
    speech = open_speech(_config(args).speech)
    events: list[str] = []
    try:
        speech.add_listener(lambda event, utterance: events.append(event))
        speech.say(args.text, lang=args.lang)
        speech.wait_until_idle(timeout=120)
        health = speech.health()
    finally:
        speech.close()
    if "error" in events:
        print(f"not heard: {health.reason or 'the speech engine failed'} "
              "(check the audio output; --out FILE.wav tests the voice without one)", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_receipt_demo(args: argparse.Namespace) -> int:
    from hardware.printer import render_escpos, render_png, sample_receipt

    receipt = sample_receipt()
    data = render_escpos(receipt, profile=args.profile, code_page=args.code_page, paper_width_mm=args.width,
                         qr_mode=args.qr)
    if args.out == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.out).write_bytes(data)
    if args.png:
        Path(args.png).write_bytes(render_png(receipt, paper_width_mm=args.width))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hardware", description="Technician tools for e-Obshtina terminals.")
    parser.add_argument("--config", help=f"terminal TOML (default: $EOBSHTINA_CONFIG or {DEFAULT_CONFIG})")
    parser.add_argument("-v", "--verbose", action="store_true", help="log warnings and fallbacks")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("diag", help="state of every configured device; exit 1 if any is offline")
    p.add_argument("--simulate", action="store_true", help="use the simulated backends (demo)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--data-dir", default=os.environ.get("EOBSHTINA_DATA_DIR", "/"), help="disk to report free space of")
    p.set_defaults(func=cmd_diag)

    p = sub.add_parser("print-test", help="print the sample receipt on the configured printer")
    p.add_argument("--png", help="also write the preview PNG here")
    p.set_defaults(func=cmd_print_test)

    p = sub.add_parser("mrz-parse", help="MRZ lines on stdin -> JSON on stdout; exit 1 with the reason if refused")
    p.add_argument("--today", type=_iso_date, help="YYYY-MM-DD to check expiry against (default: today)")
    p.add_argument("--allow-expired", action="store_true", help="accept an expired document")
    p.set_defaults(func=cmd_mrz_parse)

    p = sub.add_parser("read-id", help="print the first document a serial MRZ reader reads, as JSON")
    p.add_argument("--serial", required=True, metavar="DEV", help="serial port, e.g. /dev/ttyACM0")
    p.add_argument("--baudrate", type=int, default=9600)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a card")
    p.set_defaults(func=cmd_read_id)

    p = sub.add_parser("say", help="speak a text with the configured engine, or write it to a WAV file")
    p.add_argument("--lang", default="bg", choices=("bg", "en"))
    p.add_argument("--text", required=True, type=_spoken_text)
    p.add_argument("--out", metavar="FILE.wav", help="write a WAV file with espeak-ng instead of speaking")
    p.set_defaults(func=cmd_say)

    p = sub.add_parser("receipt-demo", help="write the ESC/POS bytes of a sample receipt (Cyrillic text and a QR)")
    p.add_argument("--out", required=True, help="file for the ESC/POS bytes ('-' for stdout)")
    p.add_argument("--png", help="also write the preview PNG here")
    p.add_argument("--profile", default="default", help="python-escpos printer profile, e.g. TM-T20II")
    p.add_argument("--code-page", default="CP866")
    p.add_argument("--width", type=int, choices=(58, 80), default=80, help="paper width in mm")
    p.add_argument("--qr", choices=("native", "image"), default="native")
    p.set_defaults(func=cmd_receipt_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except HardwareError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # an output file that cannot be written, a device node without permission
        where = f" {exc.filename}" if exc.filename else ""
        print(f"error:{where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
