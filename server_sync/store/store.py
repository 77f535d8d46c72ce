"""Store: the terminal's SQLite database, its transactional outbox and the state the processes share.

`Store` is assembled from its parts, one module each: `engine` (file, transactions, migrations,
settings, counters), `records` (presses and submissions), `outbox` (delivery states) and
`terminal_state` (catalogue copy, identity, device health, errors, sync state).
"""

from __future__ import annotations

from server_sync.store.engine import (
    DB_FILENAME,
    SCHEMA_HEAD,
    NotEnrolledError,
    StoreError,
    StoreFullError,
    StoreWriteError,
)
from server_sync.store.outbox import OutboxItem, OutboxQueue, QueueStats
from server_sync.store.records import PressRecord, Records, SubmissionRecord
from server_sync.store.terminal_state import Identity, SyncState

__all__ = [
    "DB_FILENAME",
    "SCHEMA_HEAD",
    "StoreError",
    "StoreWriteError",
    "StoreFullError",
    "NotEnrolledError",
    "Identity",
    "PressRecord",
    "SubmissionRecord",
    "OutboxItem",
    "QueueStats",
    "SyncState",
    "Store",
]


class Store(Records, OutboxQueue):
    """The terminal's database under `data_dir`, opened (and migrated) on construction.

    Safe to use from several threads and from several processes at once. Every public
    method is one short transaction; none holds a lock across anything slow.
    """

    def __enter__(self) -> "Store":
        return self
