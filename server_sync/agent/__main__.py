"""`sync-agent`: enroll this terminal with a hub, run the sync loop, or print its sync status."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from datetime import datetime, timezone

from server_sync import __version__
from server_sync.config import ConfigError, load_terminal_config, resolve_data_dir

log = logging.getLogger("sync_agent")


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", metavar="PATH", default=default,
                        help="terminal TOML file (default $EOBSHTINA_CONFIG or /etc/eobshtina/terminal.toml)")
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="data directory holding terminal.sqlite3 (default $EOBSHTINA_DATA_DIR "
                             "or /var/lib/eobshtina)")
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS if suppress else False,
                        help="log debug details")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sync-agent",
        description="Deliver this terminal's outbox to the hub, keep its catalogue current, send heartbeats.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    enroll = sub.add_parser("enroll", help="enroll this terminal with a hub using a one-time code",
                            description="Enroll with a one-time code from the hub's admin pages; stores "
                                        "the token and the hub's public key in the data dir.")
    _common(enroll, suppress=True)
    enroll.add_argument("--hub", required=True, metavar="URL", help="hub base URL, e.g. https://hub.bansko.bg")
    enroll.add_argument("--code", required=True, help="one-time enrollment code")
    enroll.add_argument("--hostname", help="name to report (default: this machine's hostname)")

    run = sub.add_parser("run", help="run the sync loop (systemd service)",
                         description="Run until SIGTERM/SIGINT: drain the outbox, pull the catalogue, heartbeat.")
    _common(run, suppress=True)
    run.add_argument("--heartbeat-interval", type=float, metavar="S", help="seconds between heartbeats")
    run.add_argument("--until-empty", action="store_true", help="exit 0 once the outbox is empty")

    check = sub.add_parser("update-check", help="roll back a software update that never reported healthy",
                           description="Run by the agent's unit before each start, from the previous release: a "
                                       "switched release past its deadline without reporting healthy is rolled "
                                       "back (also when it cannot start at all).")
    _common(check, suppress=True)

    status = sub.add_parser("status", help="print identity, hub, last contact and queue",
                            description="Print this terminal's sync status (exit 3 when the token is revoked).")
    _common(status, suppress=True)
    status.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _when(epoch: float | None) -> str:
    if not epoch:
        return "never"
    ago = max(0, time.time() - epoch)
    stamp = datetime.fromtimestamp(epoch, timezone.utc).astimezone().isoformat(timespec="seconds")
    return f"{stamp} ({_age(ago)} ago)"


def _age(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"


def cmd_enroll(args, config, store) -> int:
    from server_sync.client import HubClient, HubError
    from server_sync.store import Identity

    if not args.hub.startswith(("http://", "https://")):
        print(f"sync-agent: --hub: expected an http:// or https:// URL, got {args.hub!r}", file=sys.stderr)
        return 2
    with HubClient(args.hub, timeout_s=config.hub.timeout_s, connect_timeout_s=config.hub.connect_timeout_s,
                   verify=config.hub.ca_file or True) as client:
        try:
            answer = client.enroll(args.code, hostname=args.hostname or socket.gethostname())
        except HubError as exc:
            print(f"sync-agent: enrollment failed: {exc}", file=sys.stderr)
            return 1
    store.save_identity(Identity(
        terminal_id=answer.terminal_id, kind=answer.kind.value, name=answer.name, location=answer.location,
        token=answer.token, hub_url=args.hub.rstrip("/"), hub_public_key=answer.hub_public_key,
        hub_epoch=answer.hub_epoch, enrolled_at=time.time()))
    print(f"enrolled as {answer.terminal_id} ({answer.kind.value}, {answer.name}) with {args.hub}")
    return 0


def cmd_run(args, config, store) -> int:
    from server_sync.agent import Agent

    sync = config.sync
    if args.heartbeat_interval:
        sync = sync.model_copy(update={"heartbeat_interval_s": args.heartbeat_interval})
    stop = threading.Event()

    def _stop(signum, _frame) -> None:
        log.info("signal %s: finishing the current step and exiting", signal.Signals(signum).name)
        stop.set()

    import fcntl

    lock = open(store.data_dir / "sync-agent.lock", "a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"sync-agent: another sync-agent is already running on {store.data_dir}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    agent = Agent(store, sync, config.hub, updater=_updater(config, store))
    log.info("sync-agent %s running on %s", __version__, store.path)
    try:
        agent.run(stop, until_empty=args.until_empty)
    finally:
        agent.close()
    return 0


def _update_settings(config, store):
    from server_sync.agent.updates import UpdateSettings

    identity = store.identity()
    return UpdateSettings.from_section(config.section("updates"), data_dir=store.data_dir,
                                       kind=identity.kind if identity else None,
                                       source=str(config.path or "<config>"))


def _updater(config, store):
    from server_sync.agent.updates import Updater

    settings = _update_settings(config, store)
    if settings is None:
        log.info("software updates off: no [updates] public_key in the configuration")
        return None
    return Updater(settings, store.data_dir)


def cmd_update_check(args, config, store) -> int:
    from server_sync.agent.updates import check_after_start

    settings = _update_settings(config, store)
    if settings is not None and check_after_start(settings, store.data_dir) == "rolled_back":
        print("sync-agent: the switched release never reported healthy: rolled back", file=sys.stderr)
    return 0


def status_dict(store) -> dict:
    identity = store.identity()
    state = store.sync_state()
    stats = store.queue_stats()
    return {
        "enrolled": identity is not None,
        "terminal_id": identity.terminal_id if identity else None,
        "kind": identity.kind if identity else None,
        "name": identity.name if identity else None,
        "hub_url": identity.hub_url if identity else None,
        "hub_epoch": identity.hub_epoch if identity else None,
        "revoked": state.revoked,
        "revoked_reason": state.revoked_reason,
        "last_contact_at": state.last_contact_at,
        "last_sync_at": state.last_sync_at,
        "last_heartbeat_at": state.last_heartbeat_at,
        "last_error": state.last_error,
        "queue_depth": stats.depth,
        "oldest_undelivered_age_s": stats.oldest_age_s(),
        "rejected": stats.rejected,
        "catalogue_version": store.catalogue_version(),
        "update": _update_status(store.data_dir),
    }


def _update_status(data_dir) -> dict:
    from server_sync.agent.updates import read_state

    state = read_state(data_dir)
    return {k: state.get(k) for k in ("state", "current", "target", "reason")}


def cmd_status(args, config, store) -> int:
    info = status_dict(store)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
    else:
        if info["enrolled"]:
            print(f"terminal:        {info['terminal_id']} ({info['kind']}, {info['name']})")
            print(f"hub:             {info['hub_url']} (epoch {info['hub_epoch']})")
        else:
            print("terminal:        not enrolled (sync-agent enroll --hub URL --code CODE)")
        print(f"state:           {'REVOKED — ' + (info['revoked_reason'] or '') if info['revoked'] else 'active'}")
        print(f"last contact:    {_when(info['last_contact_at'])}")
        print(f"last sync:       {_when(info['last_sync_at'])}")
        print(f"queue depth:     {info['queue_depth']}")
        oldest = info["oldest_undelivered_age_s"]
        print(f"oldest item:     {'none' if oldest is None else _age(oldest) + ' old'}")
        if info["rejected"]:
            print(f"refused by hub:  {info['rejected']} (kept for a technician)")
        print(f"catalogue:       {info['catalogue_version'] or 'none yet'}")
        update = info["update"]
        if update.get("state"):
            print(f"software update:  {update['state']} (running {update['current'] or 'as installed'}"
                  f"{', target ' + update['target'] if update.get('target') else ''})"
                  f"{': ' + update['reason'] if update.get('reason') else ''}")
        if info["last_error"]:
            print(f"last error:      {info['last_error']}")
    return 3 if info["revoked"] else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s")  # journald adds the time
    for chatty in ("httpx", "alembic"):  # their INFO lines are noise in a terminal's journal
        logging.getLogger(chatty).setLevel(logging.WARNING)
    try:
        config = load_terminal_config(args.config)
    except ConfigError as exc:
        print(f"sync-agent: {exc}", file=sys.stderr)
        return 2
    ca_file = config.hub.ca_file
    if args.command in ("enroll", "run") and ca_file and not os.path.isfile(ca_file):
        # Said here, naming the key, rather than as a TLS traceback on every restart.
        print(f"sync-agent: {config.path}: hub.ca_file: no such file: {ca_file!r}", file=sys.stderr)
        return 2
    from server_sync.store import Store, StoreError

    data_dir = resolve_data_dir(config, args.data_dir)
    try:
        store = Store(data_dir, personal_retention_s=config.sync.personal_retention_h * 3600,
                      delivered_retention_s=config.sync.delivered_retention_days * 86400)
    except (OSError, StoreError) as exc:
        print(f"sync-agent: cannot open the store in {data_dir}: {exc}", file=sys.stderr)
        return 1
    try:
        return {"enroll": cmd_enroll, "run": cmd_run, "status": cmd_status,
                "update-check": cmd_update_check}[args.command](args, config, store)
    except ConfigError as exc:  # the [updates] section is read once the store says the terminal's kind
        print(f"sync-agent: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
