"""Reading sessions never hold SQLite's write lock: a staff member paging through the inbox cannot
stall a terminal's upload."""

from __future__ import annotations

from sqlalchemy import select, text

from server_sync.hub.db import utcnow
from server_sync.hub.models import AuditEntry, ServiceRequest


def test_a_write_goes_through_while_a_read_transaction_is_open(hub):
    if hub.engine.dialect.name != "sqlite":
        assert hub.reads is hub.sessions  # PostgreSQL's readers never block writers anyway
        return
    with hub.reads() as reading:
        reading.execute(select(ServiceRequest.id)).all()  # the transaction is open, holding a snapshot
        with hub.sessions() as writing:
            writing.connection().exec_driver_sql("PRAGMA busy_timeout=300")  # fail fast if blocked
            with writing.begin_nested() if writing.in_transaction() else writing.begin():
                writing.add(AuditEntry(at=utcnow(), actor="t", action="login"))
            writing.commit()
        # The reader's snapshot is consistent; a new read sees the write.
    with hub.reads() as reading:
        assert reading.scalar(select(AuditEntry.actor)) == "t"


def test_the_read_engine_begins_deferred(hub):
    if hub.engine.dialect.name != "sqlite":
        return
    with hub.reads() as reading:
        reading.execute(text("SELECT 1"))
        # A DEFERRED transaction holds no lock until it writes: another connection can take the write lock.
        with hub.engine.connect() as other:
            other.exec_driver_sql("PRAGMA busy_timeout=300")
            other.execute(text("UPDATE hub_state SET value = value WHERE key = 'hub_epoch'"))
            other.commit()
