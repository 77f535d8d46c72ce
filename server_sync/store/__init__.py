"""The terminal's local store: SQLite (WAL) shared by kiosk, feedback terminal and sync agent; the outbox."""

from server_sync.store.store import (
    DB_FILENAME,
    Identity,
    NotEnrolledError,
    OutboxItem,
    PressRecord,
    QueueStats,
    Store,
    StoreError,
    StoreFullError,
    StoreWriteError,
    SubmissionRecord,
    SyncState,
)

__all__ = [
    "DB_FILENAME",
    "Identity",
    "NotEnrolledError",
    "OutboxItem",
    "PressRecord",
    "QueueStats",
    "Store",
    "StoreError",
    "StoreFullError",
    "StoreWriteError",
    "SubmissionRecord",
    "SyncState",
]
