"""`kiosk-hub open311-key create NAME` / `revoke NAME` / `list`: Open311 clients' API keys."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def cmd_create(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, open_context
    from server_sync.hub.open311 import keys
    from server_sync.hub.services import staff as staff_service

    hub = open_context(args)
    try:
        with hub.sessions.begin() as session:
            row, key = keys.create(session=session, name=args.name, created_by="console")
            staff_service.audit(session, actor="console", action="open311_key_create", target=row.name)
            name = row.name
    except keys.Open311KeyError as exc:
        raise CliError({"invalid": "NAME: 1–120 characters", "exists": f"a key named {args.name!r} exists"}
                       .get(exc.code, exc.code)) from None
    finally:
        hub.close()
    print(f"Open311 API key for '{name}' (shown once; the hub keeps only its hash): {key}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, open_context
    from server_sync.hub.open311 import keys
    from server_sync.hub.services import staff as staff_service

    hub = open_context(args)
    try:
        with hub.sessions.begin() as session:
            row = keys.revoke(session=session, name=args.name)
            staff_service.audit(session, actor="console", action="open311_key_revoke", target=row.name)
            name = row.name
    except keys.Open311KeyError:
        raise CliError(f"no Open311 key named {args.name!r}") from None
    finally:
        hub.close()
    print(f"Open311 API key '{name}' revoked")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import open_context
    from server_sync.hub.open311 import keys

    hub = open_context(args)
    try:
        with hub.reads() as session:
            rows = keys.list_all(session=session)
            for row in rows:
                state = f"revoked {row.revoked_at:%Y-%m-%d %H:%M}Z" if row.revoked_at else "active"
                used = f"{row.last_used_at:%Y-%m-%d %H:%M}Z" if row.last_used_at else "never"
                print(f"{row.name}\t{state}\tlast used {used}")
    finally:
        hub.close()
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("open311-key", help="API keys of Open311 clients",
                       description="Create, revoke or list the API keys Open311 GeoReport v2 clients POST with.")
    actions = p.add_subparsers(dest="action", required=True, metavar="create|revoke|list")
    create = actions.add_parser("create", parents=[common], help="a new key (printed once, as the last word)")
    create.add_argument("name", metavar="NAME", help="the client application's name")
    create.set_defaults(func=cmd_create)
    revoke = actions.add_parser("revoke", parents=[common], help="revoke a key by its name")
    revoke.add_argument("name", metavar="NAME")
    revoke.set_defaults(func=cmd_revoke)
    listing = actions.add_parser("list", parents=[common], help="every key and its state")
    listing.set_defaults(func=cmd_list)
