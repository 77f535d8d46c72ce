"""`feedback-terminal`: the satisfaction-terminal daemon (GPIO buttons, or keys 1–4 with --simulate)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any, Iterator, TextIO

from hardware.base import ConfigError, DeviceState, DeviceUnavailable, Health
from hardware.buttons import ButtonPanel, SimulatedButtonPanel, make_pin_factory
from terminal_feedback.config import FeedbackConfig, FeedbackDocument, OpeningSchedule, feedback_config
from terminal_feedback.terminal import FeedbackTerminal, PressOutcome

log = logging.getLogger("feedback-terminal")

DEFAULT_CONFIG = "/etc/eobshtina/terminal.toml"
DEFAULT_DATA_DIR = "/var/lib/eobshtina"
HEALTH_INTERVAL_S = 10.0
SMILEYS = {1: ":-((", 2: ":-(", 3: ":-)", 4: ":-))", 5: ":-D"}


def office_schedule(config: FeedbackConfig, store: Any) -> OpeningSchedule | None:
    """Opening hours from the config, else the office's from the cached catalogue, else none."""
    if config.opening_hours is not None:
        return config.opening_hours
    if config.office_id is None:
        return None
    catalogue = store.catalogue()
    if catalogue is None:
        return None
    for office in catalogue.offices:
        if office.id == config.office_id:
            return OpeningSchedule.from_catalogue_office(office)
    log.warning("office %s is not in the cached catalogue: no opening hours known", config.office_id)
    return None


def report_health(store: Any, device: str, health: Health) -> None:
    from server_sync.store.terminal_state import device_health_for_store

    try:
        store.report_device(device, device_health_for_store(health))
    except Exception as exc:  # the disk is full: the heartbeat will miss it, the presses queue
        log.error("cannot write %s health: %s", device, exc)


@contextlib.contextmanager
def keys_mode(stream: TextIO) -> Iterator[None]:
    """Single keys without Enter while the simulator runs, on a terminal; the terminal's own
    settings come back however we leave (q, Ctrl-C, SIGTERM), on the main thread's way out."""
    fd = stream.fileno()
    if not os.isatty(fd):
        yield
        return
    import termios
    import tty

    saved = termios.tcgetattr(fd)
    # TCSANOW, not tty's default TCSAFLUSH: keys typed while we were starting are presses too.
    tty.setcbreak(fd, termios.TCSANOW)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_keys(stream: TextIO, scale: int, panel: SimulatedButtonPanel, stop: threading.Event) -> None:
    """Keys 1..scale are buttons; q quits. Raw mode on a terminal (see keys_mode), line mode from a pipe."""
    fd = stream.fileno()
    while not stop.is_set():
        chunk = os.read(fd, 4096)
        if not chunk:
            return  # end of input: keep running (the demo starts us without a keyboard)
        for char in chunk.decode("ascii", "replace"):
            if char in "qQ":
                stop.set()
                return
            if char.isdigit() and 1 <= int(char) <= scale:
                panel.press(int(char))
            elif char.isprintable() and not char.isspace():
                print(f"key {char!r} is not a button: press 1–{scale}, q to quit", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="feedback-terminal",
        description="Satisfaction terminal: every press is saved before its LED lights up.",
    )
    parser.add_argument("--config", type=Path, default=None,
                        help=f"terminal TOML config (default $EOBSHTINA_CONFIG or {DEFAULT_CONFIG})")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help=f"data directory holding terminal.sqlite3 (default $EOBSHTINA_DATA_DIR, "
                             f"[terminal].data_dir or {DEFAULT_DATA_DIR})")
    parser.add_argument("--simulate", action="store_true",
                        help="no GPIO: keys 1–4 on this terminal are the buttons; LED acks are printed")
    parser.add_argument("--face", action="store_true", help="show the touch face (four smileys) too")
    parser.add_argument("--log-level", default="INFO", type=str.upper,
                        choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from server_sync.config import load_terminal_config, resolve_data_dir

    try:
        # One file for every process of the terminal, read once: [feedback] is ours, [terminal] and
        # [hub]/[sync] are the agent's too.
        terminal_config = load_terminal_config(args.config, FeedbackDocument)
        config = feedback_config(terminal_config.feedback)
    except ConfigError as exc:
        print(f"feedback-terminal: {exc}", file=sys.stderr)
        return 2
    args.data_dir = resolve_data_dir(terminal_config, args.data_dir)

    from server_sync.store import Store

    try:
        store = Store(args.data_dir)
    except Exception as exc:
        print(f"feedback-terminal: cannot open the store in {args.data_dir}: {exc}", file=sys.stderr)
        return 1

    stop = threading.Event()
    out_lock = threading.Lock()
    panel: ButtonPanel | None = None

    def acknowledge(outcome: PressOutcome) -> None:
        if panel is not None:
            panel.acknowledge(outcome.press.score)
        if args.simulate:
            record = outcome.record
            mark = f" [{outcome.press.filter_reason}]" if outcome.press.filtered else ""
            with out_lock:
                print(f"ACK {outcome.press.score} {SMILEYS[outcome.press.score]} LED {outcome.press.score} "
                      f"seq={getattr(record, 'seq', '?')} press_id={getattr(record, 'press_id', '?')}{mark}",
                      flush=True)

    def on_error(exc: Exception) -> None:
        if panel is not None:
            panel.signal_error()
        try:
            store.record_error("feedback", f"press not saved: {exc}")
        except Exception:
            pass
        if args.simulate:
            with out_lock:
                print(f"ERROR press not saved (kept in memory, will retry): {exc}", flush=True)

    terminal = FeedbackTerminal(config, store, acknowledge=acknowledge, on_error=on_error,
                                schedule=office_schedule(config, store))
    try:
        if args.simulate:
            panel = SimulatedButtonPanel(config.panel, terminal)
        else:
            panel = ButtonPanel(config.panel, terminal, pin_factory=make_pin_factory(config.pin_factory))
    except (ConfigError, DeviceUnavailable) as exc:
        print(f"feedback-terminal: buttons: {exc}", file=sys.stderr)
        store.close()
        return 1

    def health_loop() -> None:
        while not stop.wait(HEALTH_INTERVAL_S):
            terminal.retry_pending()
            if config.opening_hours is None:
                # The agent may have pulled a catalogue with new opening hours meanwhile.
                try:
                    terminal.schedule = office_schedule(config, store)
                except Exception as exc:  # a damaged cache must not stop the presses
                    log.error("opening hours not refreshed: %s", exc)
            report_health(store, "buttons", panel.health())
            report_health(store, "feedback", terminal.health())

    report_health(store, "buttons", panel.health())
    report_health(store, "feedback", terminal.health())
    threading.Thread(target=health_loop, name="health", daemon=True).start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    from server_sync import sdnotify

    watchdog = sdnotify.Watchdog()  # WatchdogSec= of the unit: petted by the loop that waits for stop
    with keys_mode(sys.stdin) if args.simulate else contextlib.nullcontext():
        if args.simulate:
            print(f"feedback-terminal (simulated): press 1–{config.scale} for the buttons "
                  f"(1 = very unhappy … {config.scale} = very happy), q to quit", flush=True)
            threading.Thread(target=read_keys, args=(sys.stdin, config.scale, panel, stop),
                             name="keys", daemon=True).start()
        try:
            if args.face:
                from terminal_feedback.face import run_face

                def on_face_tick() -> None:
                    if not getattr(on_face_tick, "ready", False):  # the face's event loop runs
                        on_face_tick.ready = True
                        sdnotify.notify("READY=1\nSTATUS=touch face shown, buttons ready")
                    watchdog.pet()

                run_face(config, terminal, stop, on_tick=on_face_tick)
            else:
                sdnotify.notify("READY=1\nSTATUS=buttons ready")
                watchdog.pet()
                while not stop.wait(0.5):
                    watchdog.pet()
        finally:
            sdnotify.notify("STOPPING=1")
            stop.set()
            terminal.retry_pending()
            report_health(store, "buttons", Health(DeviceState.OFFLINE, "feedback-terminal stopped"))
            panel.close()
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
