"""`kiosk-hub`: run the hub and administer it (enrolment codes, staff, catalogue, demo data, listings)."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from datetime import date, datetime, time, timezone
from importlib import import_module
from pathlib import Path

from pydantic import ValidationError

from server_sync.hub.settings import DEFAULT_PORT, HubSettings, configure_logging

log = logging.getLogger("server_sync.hub.cli")

# Modules whose `register(subparsers, common)` adds subcommands; another area adds its module here
# with one line. Each registered subparser sets `func(args) -> int` via set_defaults.
SUBCOMMANDS: list[str] = [
    "server_sync.hub.cli",
    "server_sync.hub.analytics.cli",
    "server_sync.hub.open311.cli",
    "server_sync.hub.releases.cli",
    "server_sync.hub.backup",
]


class CliError(Exception):
    """A clear one-line message for the operator; exit status 1."""


def settings_from(args: argparse.Namespace, **extra) -> HubSettings:
    """Environment (HUB_*) first, then the flags given on the command line."""
    overrides = {k: v for k, v in {
        "data_dir": getattr(args, "data_dir", None),
        "database_url": getattr(args, "database_url", None),
        **extra,
    }.items() if v is not None}
    try:
        return HubSettings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise CliError(f"setting {field} (HUB_{field.upper()} or --{field.replace('_', '-')}): {err['msg']}") from None


def open_context(args: argparse.Namespace):
    from server_sync.hub.context import open_hub

    return open_hub(settings_from(args))


# --- subcommands -------------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server_sync.hub.app import create_app

    settings = settings_from(args, host=args.host, port=args.port)
    configure_logging(settings.log_level)
    # uvicorn's own access log prints query strings (tracking codes): ours prints paths only.
    options = dict(host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False,
                   proxy_headers=bool(settings.trusted_proxies.strip()),
                   forwarded_allow_ips=settings.trusted_proxies.strip() or None, server_header=False)
    if args.workers <= 1:
        uvicorn.run(create_app(settings), **options)
        return 0
    note = workers_note(settings.effective_database_url, args.workers)
    if note:
        log.warning(note)
    # Several worker processes under uvicorn's own process manager (it restarts a worker that dies).
    # This process creates and migrates the database and the key files once; each worker then opens
    # the hub from the environment (`app.app_from_environment`) without migrating again.
    from server_sync.hub.context import open_hub

    open_hub(settings).close()
    for name, value in settings.model_dump(exclude_unset=False).items():
        if value is not None and name in settings.model_fields_set | {"data_dir"}:
            os.environ[f"HUB_{name.upper()}"] = str(value)
    os.environ["HUB_SCHEMA_SETUP"] = "none"
    uvicorn.run("server_sync.hub.app:app_from_environment", factory=True, workers=args.workers, **options)
    return 0


def cmd_enrollment_code(args: argparse.Namespace) -> int:
    from server_sync.hub.services.terminals import create_enrollment_code

    hub = open_context(args)
    try:
        with hub.sessions.begin() as s:
            if args.office is not None:  # an office of the published catalogue, as the staff page offers
                current = hub.catalogue.get(s)
                offices = [o.id for o in current[0].offices] if current is not None else []
                if args.office not in offices:
                    raise ValueError(f"office: {args.office!r} is not an office of the catalogue "
                                     f"(offices: {', '.join(offices) or 'none'})")
            code = create_enrollment_code(session=s, kind=args.kind, name=args.name, location=args.location,
                                          ttl_hours=hub.settings.enrollment_code_ttl_hours, office_id=args.office,
                                          created_by="console")
    except ValueError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()
    print(f"Enrolment code for {args.kind} '{args.name}' (valid {hub.settings.enrollment_code_ttl_hours:g} h, "
          f"one use): {code}")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass(f"Password for {args.username}: ")
    if getpass.getpass("Again: ") != password:
        raise CliError("the passwords differ")
    return password


def _add_staff(args: argparse.Namespace, role: str, units: list[str] | None, reset: bool, action: str) -> None:
    from server_sync.hub.security import hash_password
    from server_sync.hub.services import staff as staff_service

    try:
        staff_service.normal_username(args.username)
        password_hash = hash_password(staff_service.check_password_rules(_read_password(args)))
    except staff_service.StaffError as exc:
        raise CliError(str(exc)) from None
    hub = open_context(args)
    try:
        with hub.sessions.begin() as s:
            if units:
                current = hub.catalogue.get(s)
                known = {u.id for u in current[0].units} if current else set()
                unknown = [u for u in units if u not in known]
                if unknown:
                    raise CliError(f"--unit: no unit {unknown[0]!r} in the catalogue (known: {', '.join(sorted(known))})")
            staff_service.add_user(session=s, username=args.username, password_hash=password_hash, role=role,
                                   units=units, full_name=getattr(args, "full_name", None), reset=reset)
            staff_service.audit(s, actor="console", action=action, target=args.username, detail={"role": role})
    except staff_service.StaffError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()


def cmd_create_admin(args: argparse.Namespace) -> int:
    _add_staff(args, "administrator", None, reset=True, action="staff_add")
    print(f"staff user {args.username} ready (administrator)")
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    if args.unit and args.role != "clerk":
        raise CliError("--unit: only a clerk is limited to units")
    _add_staff(args, args.role, args.unit, reset=False, action="staff_add")
    print(f"staff user {args.username} added ({args.role}{': ' + ', '.join(args.unit) if args.unit else ''})")
    return 0


def cmd_staff_disable(args: argparse.Namespace) -> int:
    from server_sync.hub.services import staff as staff_service

    hub = open_context(args)
    try:
        with hub.sessions.begin() as s:
            staff_service.set_disabled(session=s, username=args.username, disabled=not args.enable)
            staff_service.audit(s, actor="console", action="staff_enable" if args.enable else "staff_disable",
                                target=args.username)
    except staff_service.StaffError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()
    print(f"staff user {args.username} {'enabled' if args.enable else 'disabled; their sessions have ended'}")
    return 0


def cmd_staff_list(args: argparse.Namespace) -> int:
    from server_sync.hub.services import staff as staff_service

    hub = open_context(args)
    try:
        with hub.sessions() as s:
            users = staff_service.list_users(s)
            rows = [(u.username, u.role, ",".join(u.units or []), "disabled" if u.disabled else "active")
                    for u in users]
    finally:
        hub.close()
    for name, role, units, state in rows:
        print(f"{name:<24} {role:<14} {state:<9} {units}")
    return 0


def _load_catalogue(path: Path):
    from server_sync.hub.catalogue_store import CatalogueImportError, check_number_format, load_catalogue_path

    try:
        data = load_catalogue_path(path)
        check_number_format(data)
        return data
    except CatalogueImportError as exc:
        raise CliError(str(exc)) from None


def cmd_import_catalogue(args: argparse.Namespace) -> int:
    from server_sync.hub.catalogue_store import import_catalogue

    data = _load_catalogue(args.file)
    if args.check:
        print(f"{args.file}: OK ({len(data.services)} services, {len(data.signal_categories)} signal categories)")
        return 0
    hub = open_context(args)
    try:
        with hub.sessions.begin() as s:
            version = import_catalogue(session=s, data=data, source=str(args.file))
    finally:
        hub.close()
    print(f"catalogue {version}: {len(data.services)} services, {len(data.signal_categories)} signal "
          f"categories, {len(data.hotlines)} hotlines, {len(data.offices)} offices")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from server_sync.hub import demo
    from server_sync.hub.catalogue_file import CatalogueFileError
    from server_sync.hub.catalogue_store import SHIPPED_CATALOGUE, import_catalogue
    from server_sync.hub.demo_data import SHIPPED_DEMO, load_demo_file
    from server_sync.protocol import Catalogue

    data = _load_catalogue(args.catalogue or SHIPPED_CATALOGUE)
    try:
        demo_data = load_demo_file(args.demo or SHIPPED_DEMO)
    except CatalogueFileError as exc:
        raise CliError(str(exc)) from None
    hub = open_context(args)
    try:
        with hub.sessions.begin() as s:
            version = import_catalogue(session=s, data=data, source="seed-demo")
            catalogue = Catalogue.model_validate({**data.model_dump(), "version": version})
            counts = demo.seed(session=s, keyring=hub.keyring, demo=demo_data, catalogue=catalogue)
    except demo.DemoSeedError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()
    print(f"demo data loaded: catalogue {version} ({len(data.services)} services), "
          f"{counts['citizens']} citizens, {counts['consultations']} consultations, "
          f"{counts['requests']} new requests and signals")
    return 0


def workers_note(database_url: str, workers: int) -> str | None:
    """What an administrator should know before running several processes on this database."""
    if workers > 1 and database_url.startswith("sqlite"):
        return (f"{workers} hub processes share one SQLite file, which has one writer: they take turns, and "
                "a heartbeat can wait 100 ms or more for the lock (measured: p99 over 100 ms at any load). "
                "Use --workers 1 on SQLite, or PostgreSQL (HUB_DATABASE_URL) for several processes.")
    return None


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"a number of processes, 1–64: {text!r}")
    return value


def _since(text: str) -> datetime:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def cmd_requests(args: argparse.Namespace) -> int:
    from server_sync.hub.services.submissions import list_requests

    hub = open_context(args)
    try:
        with hub.sessions() as s:
            rows = list_requests(session=s, since=args.since)
    finally:
        hub.close()
    if args.json:
        json.dump({"requests": rows}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in rows:
            what = r["service_id"] or r["signal_category_id"]
            print(f"{r['number']:<24} {r['kind']:<16} {what:<28} {r['status']:<12} {r['channel']:<8} "
                  f"{r['terminal_id'] or '-':<5} {r['created']}")
    return 0


def cmd_terminals(args: argparse.Namespace) -> int:
    from server_sync.hub.services.terminals import list_terminals

    hub = open_context(args)
    try:
        with hub.sessions() as s:
            rows = list_terminals(session=s)
    finally:
        hub.close()
    if args.json:
        json.dump({"terminals": rows}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for t in rows:
            state = "revoked" if t["revoked"] else (t["last_heartbeat_at"] or "never reported")
            print(f"{t['terminal_id']:<5} {t['kind']:<9} {t['name']:<32} {state}")
    return 0


def cmd_revoke_terminal(args: argparse.Namespace) -> int:
    from server_sync.hub.services.terminals import revoke

    hub = open_context(args)
    try:
        with hub.sessions.begin() as s:
            done = revoke(session=s, terminal_id=args.terminal_id)
    finally:
        hub.close()
    if not done:
        raise CliError(f"no active terminal {args.terminal_id!r} (see kiosk-hub terminals)")
    print(f"terminal {args.terminal_id} revoked: its token no longer works")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help="run the REST API",
                       description="Run the hub's REST API (creates and migrates the database on first start).")
    p.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1, HUB_HOST)")
    p.add_argument("--port", type=int, default=None, help=f"port (default {DEFAULT_PORT}, HUB_PORT)")
    p.add_argument("--workers", type=_workers, default=1,
                   help="worker processes (uvicorn's process manager; default 1). Several need PostgreSQL "
                        "to scale: on SQLite they share one writer")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("enrollment-code", parents=[common], help="print a one-time terminal enrolment code",
                       description="Print a one-time code (valid 24 h) that enrols one terminal.")
    p.add_argument("--kind", required=True, choices=["kiosk", "feedback"], help="terminal kind")
    p.add_argument("--name", required=True, help="terminal name shown on the fleet page")
    p.add_argument("--location", default=None, help="where the terminal stands")
    p.add_argument("--office", default=None, help="the catalogue office it stands in (its id; the fleet's "
                                                    "filters and the office of the requests filed on it)")
    p.set_defaults(func=cmd_enrollment_code)

    p = sub.add_parser("create-admin", parents=[common], help="create an administrator (or reset its password)",
                       description="Create an administrator of the staff pages (or set a new password and "
                                   "re-enable one); the password is asked twice, or read from stdin.")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_create_admin)

    staff = sub.add_parser("staff", help="staff accounts: add, disable, enable, list",
                           description="Staff accounts of the hub's web pages.")
    staff_sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    p = staff_sub.add_parser("add", parents=[common], help="add a staff member",
                             description="Add a clerk, technician or administrator.")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["clerk", "technician", "administrator"])
    p.add_argument("--unit", action="append", default=[], metavar="UNIT",
                   help="limit a clerk to this catalogue unit (repeat for several; none: every unit)")
    p.add_argument("--full-name", default=None, help="the name shown on the pages")
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(func=cmd_staff_add)
    p = staff_sub.add_parser("disable", parents=[common], help="disable a staff member (ends their sessions)")
    p.add_argument("username")
    p.set_defaults(func=cmd_staff_disable, enable=False)
    p = staff_sub.add_parser("enable", parents=[common], help="enable a disabled staff member")
    p.add_argument("username")
    p.set_defaults(func=cmd_staff_disable, enable=True)
    p = staff_sub.add_parser("list", parents=[common], help="list staff members")
    p.set_defaults(func=cmd_staff_list)

    p = sub.add_parser("seed-demo", parents=[common], help="load the demo catalogue, citizens and consultations",
                       description="Load the shipped catalogue and demo data (citizens with access codes, "
                                   "consultations).")
    p.add_argument("--catalogue", type=Path, default=None, help="catalogue file (default: the shipped one)")
    p.add_argument("--demo", type=Path, default=None, help="demo data file (default: the shipped demo.toml)")
    p.set_defaults(func=cmd_seed_demo)

    p = sub.add_parser("import-catalogue", parents=[common], help="validate and publish a catalogue file",
                       description="Validate a catalogue file (.toml or .json) and publish it; errors name "
                                   "the entry and the field.")
    p.add_argument("file", type=Path)
    p.add_argument("--check", action="store_true", help="only validate, publish nothing")
    p.set_defaults(func=cmd_import_catalogue)

    p = sub.add_parser("requests", parents=[common], help="list requests and signals (no personal data)",
                       description="List requests and signals: number, kind, service or category, status, "
                                   "channel, terminal, created. No personal data.")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.add_argument("--since", type=_since, default=None, help="only those registered on or after DATE (YYYY-MM-DD)")
    p.set_defaults(func=cmd_requests)

    p = sub.add_parser("terminals", parents=[common], help="list enrolled terminals",
                       description="List enrolled terminals with their last heartbeat.")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=cmd_terminals)

    p = sub.add_parser("revoke-terminal", parents=[common], help="revoke a terminal's token",
                       description="Revoke a terminal's bearer token (e.g. a stolen terminal).")
    p.add_argument("terminal_id", help="e.g. K07")
    p.set_defaults(func=cmd_revoke_terminal)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=None, help="data directory (HUB_DATA_DIR)")
    common.add_argument("--database-url", default=None,
                        help="SQLAlchemy URL (HUB_DATABASE_URL); default: SQLite in the data dir")
    parser = argparse.ArgumentParser(prog="kiosk-hub", description=__doc__.splitlines()[0].split(": ", 1)[-1])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for dotted in SUBCOMMANDS:
        import_module(dotted).register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CliError as exc:
        print(f"kiosk-hub: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        from sqlalchemy.exc import OperationalError

        if isinstance(exc, (OperationalError, OSError)):
            print(f"kiosk-hub: {type(exc).__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
            return 1
        raise


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: subcommand modules raise
    # server_sync.hub.cli.CliError, which a second copy of this module would not catch.
    from server_sync.hub.cli import main as _main

    sys.exit(_main())
