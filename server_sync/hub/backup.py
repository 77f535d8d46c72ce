"""`kiosk-hub backup FILE` and `kiosk-hub restore FILE`: the hub's database to a file and back.

SQLite: SQLite's online backup API (a consistent copy while the hub runs; restore copies the file
back page by page). PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`,
run by the command with the hub's own database URL.

A restore gives the hub a new epoch (`hub_state.hub_epoch`): every terminal sees it in its next
heartbeat answer and re-sends what it delivered under the old epoch and still holds — presses,
and requests with the number the hub gave them, which the hub keeps or maps (services/numbers.py).
Stop the hub's processes before a restore and start them after: a running process keeps the old
epoch in memory. The key files (hub_private.key, hmac.key) are not in the backup; keep them
apart, as the hub refuses a database filled under another key.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import make_url, text

__all__ = ["backup", "restore", "register"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A clear one-line message for the operator."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def _libpq_url(url: str) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore take it (no '+psycopg' driver part)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client)")
    return found


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{Path(argv[0]).name} failed: {lines[-1] if lines else f'exit {done.returncode}'}")


def backup(database_url: str, dest: Path) -> None:
    """Write a consistent copy of the hub's database to `dest` (replaced only once complete)."""
    dest = dest.resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)  # created 0600
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        source_file = _sqlite_path(database_url)
        if source_file is not None:
            if not source_file.exists():
                raise BackupError(f"{source_file}: no hub database here")
            source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        else:
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(tmp), _libpq_url(database_url)])
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def restore(database_url: str, src: Path) -> str:
    """Replace the hub's database with the backup in `src`, bring its schema to this version and
    give it a new epoch. Returns the new epoch."""
    if not src.is_file():
        raise BackupError(f"{src}: no such backup file")
    with src.open("rb") as f:
        head = f.read(16)
    target_file = _sqlite_path(database_url)
    if target_file is not None:
        if head != SQLITE_MAGIC:
            raise BackupError(f"{src}: not a SQLite backup (this hub runs on SQLite)")
        source = sqlite3.connect(f"file:{src.resolve()}?mode=ro", uri=True)
        try:
            if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'hub_state'").fetchone() is None:
                raise BackupError(f"{src}: a SQLite file, but not a hub database")
            target_file.parent.mkdir(parents=True, exist_ok=True)
            if not target_file.exists():  # personal data: 0600, as the hub creates it
                os.close(os.open(target_file, os.O_WRONLY | os.O_CREAT, 0o600))
            target = sqlite3.connect(target_file)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    else:
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{src}: not a pg_dump custom-format backup (this hub runs on PostgreSQL)")
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", _libpq_url(database_url), str(src)])
    return _new_epoch(database_url)


def _new_epoch(database_url: str) -> str:
    from server_sync.hub import db

    engine = db.make_engine(database_url)
    try:
        db.migrate(engine)  # a backup from an older version gets this version's schema
        epoch = "e-" + secrets.token_hex(6)
        with engine.begin() as conn:
            changed = conn.execute(text("UPDATE hub_state SET value = :epoch WHERE key = 'hub_epoch'"),
                                   {"epoch": epoch}).rowcount
            if not changed:
                conn.execute(text("INSERT INTO hub_state (key, value) VALUES ('hub_epoch', :epoch)"),
                             {"epoch": epoch})
    finally:
        engine.dispose()
    return epoch


# --- the commands ------------------------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, settings_from

    settings = settings_from(args)
    try:
        backup(settings.effective_database_url, args.file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"backup written: {args.file} ({args.file.stat().st_size} bytes); "
          "keep the key files (hub_private.key, hmac.key) apart")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from server_sync.hub.cli import CliError, settings_from

    settings = settings_from(args)
    try:
        epoch = restore(settings.effective_database_url, args.file)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    print(f"restored from {args.file}; new hub epoch {epoch}: terminals re-send what the backup lacks "
          "at their next heartbeat. Start the hub's processes again now.")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="write the hub's database to a backup file",
                       description="SQLite: the online backup API (the hub may keep running). "
                                   "PostgreSQL: pg_dump --format=custom.")
    p.add_argument("file", type=Path, help="backup file to write")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", parents=[common], help="replace the hub's database with a backup",
                       description="Stop the hub first. Replaces the database with the backup (PostgreSQL: "
                                   "pg_restore --clean), migrates it and gives the hub a new epoch, so "
                                   "terminals re-send what they delivered since the backup.")
    p.add_argument("file", type=Path, help="backup file written by `kiosk-hub backup`")
    p.set_defaults(func=cmd_restore)
