"""`kiosk-hub release keygen | sign | publish | list | promote | withdraw` and `kiosk-hub terminal-channel`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

__all__ = ["register"]


def _signing_key(args: argparse.Namespace) -> tuple[str, Path]:
    from server_sync.hub.cli import CliError, settings_from
    from server_sync.hub.releases.service import SIGNING_KEY_FILE

    path = args.key or settings_from(args).data_dir / SIGNING_KEY_FILE
    try:
        return path.read_text().strip(), path
    except OSError as exc:
        raise CliError(f"release signing key {path}: {exc.strerror} (kiosk-hub release keygen, or --key FILE)") from None


def cmd_keygen(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, settings_from
    from server_sync.hub.releases.service import SIGNING_KEY_FILE
    from server_sync.protocol.releases import new_signing_key, public_key_of

    path = args.out or settings_from(args).data_dir / SIGNING_KEY_FILE
    key = new_signing_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CliError(f"{path} exists: a new key would orphan every terminal that trusts the old one") from None
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    print(f"release signing key written to {path} (0600; keep a copy offline)")
    print(f"public key for the terminals' [updates] public_key: {public_key_of(key)}")
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError
    from server_sync.hub.releases.service import ReleaseError, check_bundle, file_sha256, version_of
    from server_sync.protocol.releases import SignatureError, sign_release

    key, _path = _signing_key(args)
    try:
        check_bundle(args.file)
        version = version_of(args.file, args.version)
        print(sign_release(key, version, file_sha256(args.file)))
    except (ReleaseError, SignatureError) as exc:
        raise CliError(str(exc)) from None
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, open_context
    from server_sync.hub.releases import service
    from server_sync.hub.services import staff as staff_service
    from server_sync.protocol.releases import SignatureError, public_key_of, sign_release

    try:
        service.check_bundle(args.file)
        version = service.version_of(args.file, args.version)
        if args.signature:
            if not args.public_key:
                raise CliError("--signature needs --public-key (the release key's public half) to check it")
            signature, public_key = args.signature, args.public_key
        else:
            key, _path = _signing_key(args)
            signature, public_key = sign_release(key, version, service.file_sha256(args.file)), public_key_of(key)
    except (service.ReleaseError, SignatureError) as exc:
        raise CliError(str(exc)) from None
    hub = open_context(args)
    try:
        with hub.sessions.begin() as session:
            release = service.publish(session=session, data_dir=hub.settings.data_dir, path=args.file,
                                      version=version, channel=args.channel, signature=signature,
                                      public_key=public_key, published_by="console")
            staff_service.audit(session, actor="console", action="release_publish", target=version,
                                detail={"channel": args.channel, "sha256": release.sha256})
            sha256, size = release.sha256, release.size
    except service.ReleaseError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()
    print(f"release {version} published to the {args.channel} channel ({size} bytes, sha256 {sha256})")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import open_context
    from server_sync.hub.releases import service

    hub = open_context(args)
    try:
        with hub.reads() as session:
            for r in service.list_releases(session=session):
                state = f"withdrawn {r.withdrawn_at:%Y-%m-%d %H:%M}Z" if r.withdrawn_at else r.channel
                print(f"{r.version:<16} {state:<28} {r.published_at:%Y-%m-%d %H:%M}Z  {r.filename}  {r.sha256[:16]}…")
    finally:
        hub.close()
    return 0


def _change(args: argparse.Namespace, *, channel: str | None, withdrawn: bool, action: str) -> None:
    from server_sync.hub.cli import CliError, open_context
    from server_sync.hub.releases import service
    from server_sync.hub.services import staff as staff_service

    hub = open_context(args)
    try:
        with hub.sessions.begin() as session:
            service.set_release_channel(session=session, version=args.version, channel=channel, withdrawn=withdrawn)
            staff_service.audit(session, actor="console", action=action, target=args.version)
    except service.ReleaseError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()


def cmd_promote(args: argparse.Namespace) -> int:
    _change(args, channel="all", withdrawn=False, action="release_promote")
    print(f"release {args.version} is now offered to every terminal (channel all)")
    return 0


def cmd_withdraw(args: argparse.Namespace) -> int:
    _change(args, channel=None, withdrawn=True, action="release_withdraw")
    print(f"release {args.version} withdrawn: no terminal is offered it any more (installed ones keep it)")
    return 0


def cmd_terminal_channel(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, open_context
    from server_sync.hub.releases import service
    from server_sync.hub.services import staff as staff_service

    hub = open_context(args)
    try:
        with hub.sessions.begin() as session:
            service.set_terminal_channel(session=session, terminal_id=args.terminal_id, channel=args.channel,
                                         by="console")
            staff_service.audit(session, actor="console", action="terminal_channel", target=args.terminal_id,
                                detail={"channel": args.channel})
    except service.ReleaseError as exc:
        raise CliError(str(exc)) from None
    finally:
        hub.close()
    print(f"terminal {args.terminal_id} takes releases of the {args.channel} channel")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    release = sub.add_parser("release", help="software releases for the terminals: keygen, sign, publish, list",
                             description="Publish signed software releases that the terminals' agents install.")
    rsub = release.add_subparsers(dest="release_command", metavar="ACTION", required=True)

    p = rsub.add_parser("keygen", parents=[common], help="write a new Ed25519 release signing key (0600)",
                        description="Write a new release signing key (default: release_signing.key in the data "
                                    "dir) and print its public key for the terminals' [updates] public_key.")
    p.add_argument("--out", type=Path, default=None, help="where to write the key")
    p.set_defaults(func=cmd_keygen)

    p = rsub.add_parser("sign", parents=[common], help="print a release's signature (offline signing)",
                        description="Print the signature of FILE as release VERSION, for "
                                    "`release publish --signature` on the hub.")
    p.add_argument("file", type=Path)
    p.add_argument("--version", default=None, help="the release version (default: from the wheel's name)")
    p.add_argument("--key", type=Path, default=None, help="signing key file (default: the data dir's)")
    p.set_defaults(func=cmd_sign)

    p = rsub.add_parser("publish", parents=[common], help="publish a wheel or a .tar of wheels",
                        description="Publish FILE (a wheel or a .tar of wheels) as a release of a channel: "
                                    "pilot terminals get pilot and all releases, the others all releases only.")
    p.add_argument("file", type=Path)
    p.add_argument("--channel", required=True, choices=["pilot", "all"])
    p.add_argument("--version", default=None, help="the release version (default: from the wheel's name)")
    p.add_argument("--key", type=Path, default=None, help="signing key file (default: the data dir's)")
    p.add_argument("--signature", default=None, help="a signature made offline (kiosk-hub release sign)")
    p.add_argument("--public-key", default=None, help="the release key's public half, to check --signature")
    p.set_defaults(func=cmd_publish)

    p = rsub.add_parser("list", parents=[common], help="list releases")
    p.set_defaults(func=cmd_list)
    p = rsub.add_parser("promote", parents=[common], help="offer a pilot release to every terminal")
    p.add_argument("version")
    p.set_defaults(func=cmd_promote)
    p = rsub.add_parser("withdraw", parents=[common], help="stop offering a release")
    p.add_argument("version")
    p.set_defaults(func=cmd_withdraw)

    p = sub.add_parser("terminal-channel", parents=[common], help="put a terminal on the pilot or all channel",
                       description="Choose which releases a terminal takes: pilot (pilot and all releases) or all.")
    p.add_argument("terminal_id", help="e.g. K07")
    p.add_argument("channel", choices=["pilot", "all"])
    p.set_defaults(func=cmd_terminal_channel)
