"""The terminal's hub token in a file of its own: `<data_dir>/hub-token`, mode 0600 (2026-12-03).

The store's database is shared by every process of the terminal (kiosk, feedback terminal, sync
agent) and is the file anyone diagnosing a terminal copies; the bearer token is not kept there. It lives in this file, written atomically (temporary file, fsync, rename, fsync of the
directory: a reader finds the old token or the new one, never a half-written file) and readable
only by the terminal's user. Who reads it: the sync agent (every call to the hub) and the kiosk
(immediate delivery and the citizen's dossier, both as the same user); the satisfaction
terminal's unit makes it inaccessible (`InaccessiblePaths=` in eobshtina-feedback.service), as
that process never talks to the hub. A process that may not read it sees no token (""), and
gets "not enrolled" from the hub client.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

__all__ = ["TOKEN_FILENAME", "token_path", "read_token", "write_token"]

log = logging.getLogger("server_sync.store")

TOKEN_FILENAME = "hub-token"


def token_path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / TOKEN_FILENAME


def read_token(data_dir: str | os.PathLike[str]) -> str | None:
    """The token, or None when there is none or this process may not read it."""
    path = token_path(data_dir)
    try:
        token = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (PermissionError, UnicodeDecodeError, OSError) as exc:
        log.debug("hub token %s not readable here: %s", path, exc)
        return None
    return token or None


def write_token(data_dir: str | os.PathLike[str], token: str) -> Path:
    """Replace the token file atomically, 0600 whatever the umask."""
    directory = Path(data_dir)
    directory.mkdir(mode=0o770, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".hub-token.", dir=directory)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(token + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, token_path(directory))
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return token_path(directory)
