"""Whether a terminal is in use, for the sync agent's software updates: the kiosk marks a citizen's
session and a receipt being printed in `<data dir>/activity.json`; the agent switches to a new
version only at a quiet moment (server_sync.agent.updates). Standard library only: the kiosk
imports this before its first frame."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

__all__ = ["ACTIVITY_FILE", "ACTIVITY_STALE_S", "mark_activity", "terminal_is_quiet"]

ACTIVITY_FILE = "activity.json"
ACTIVITY_STALE_S = 2 * 3600  # a busy mark older than this is a kiosk that died mid-session


def mark_activity(data_dir: str | os.PathLike[str], *, session: bool, printing: bool = False) -> None:
    """The kiosk's side: whether a citizen is using it or a receipt is printing (atomic write)."""
    path = Path(data_dir) / ACTIVITY_FILE
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.write_text(json.dumps({"session": session, "printing": printing, "at": time.time()}))
    os.replace(part, path)


def terminal_is_quiet(data_dir: str | os.PathLike[str], now: float | None = None) -> bool:
    """No citizen session and no print under way, or no kiosk at all (no file)."""
    try:
        data = json.loads((Path(data_dir) / ACTIVITY_FILE).read_text())
    except FileNotFoundError:
        return True
    except (OSError, ValueError):
        return False  # unreadable: not a moment to switch
    if not isinstance(data, dict):
        return False
    busy = bool(data.get("session")) or bool(data.get("printing"))
    at = data.get("at")
    if busy and isinstance(at, (int, float)) and (now or time.time()) - at > ACTIVITY_STALE_S:
        return True
    return not busy
