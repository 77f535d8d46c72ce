"""The technicians the hub delivered for maintenance mode (sync agent → store → here); no Qt, no drivers."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def hub_technicians(backend: Any):
    """The technicians the hub delivered, as `server_sync.protocol.technicians.check` takes them; None
    when the hub never sent a list (a never-enrolled or simulated terminal): then the configured
    `technician_pin` / `badge_uids` decide."""
    store = getattr(backend, "store", None)
    if store is None:
        return None
    from server_sync.protocol import technicians

    try:
        return technicians.from_json(store.setting(technicians.SETTING_KEY))
    except Exception as exc:
        log.error("reading the hub's technicians failed: %s", exc)
        return None
