"""SQLite: this process's writers take turns before BEGIN IMMEDIATE (db.ProcessWriter), so none of
them sleeps in SQLite's busy handler; the turn always comes back, whatever ends the transaction."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from server_sync.hub import db


@pytest.fixture
def engines(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    write, read = db.make_engine(url), db.make_engine(url, reads_only=True)
    with write.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    yield write, read
    write.dispose()
    read.dispose()


def wait_for(condition, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def test_a_second_writer_waits_for_the_first_to_commit_then_begins(engines):
    write, _ = engines
    writer = db.writer_of(write)
    log: list[str] = []
    event.listen(write, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: log.append(f"{threading.current_thread().name}: {statement}"))

    def second():
        with write.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (2)"))

    with write.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
        b = threading.Thread(target=second, name="B")
        b.start()
        wait_for(lambda: writer.waiting == 1)
        assert not any(line.startswith("B:") for line in log)  # B has not even begun: no busy wait
        log.append("A: COMMIT")
    b.join(10)
    assert not b.is_alive()
    assert log.index("A: COMMIT") < log.index("B: BEGIN IMMEDIATE")
    with write.connect() as conn:
        assert conn.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 2]


def test_the_turn_comes_back_after_a_rollback_an_error_and_a_closed_connection(engines):
    write, _ = engines
    with pytest.raises(OperationalError):
        with write.begin() as conn:
            conn.execute(text("INSERT INTO nowhere VALUES (1)"))  # an error: rolled back
    with write.begin() as conn:  # would wait 30 s (and fail) if the turn had not come back
        conn.execute(text("INSERT INTO t VALUES (1)"))
    conn = write.connect()
    conn.begin()
    conn.execute(text("INSERT INTO t VALUES (2)"))
    conn.invalidate()  # the connection dropped mid-transaction: its write is gone, the turn too
    conn.close()
    started = time.monotonic()
    with write.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (3)"))
        assert conn.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 3]
    assert time.monotonic() - started < 5
    assert db.writer_of(write).waiting == 0


def test_a_transaction_left_open_refuses_the_next_writer_as_sqlite_would(engines):
    write, read = engines
    writer = db.writer_of(write)
    writer.wait_s = 0.3
    conn = write.connect()
    conn.begin()
    conn.execute(text("INSERT INTO t VALUES (1)"))
    try:
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            with write.begin() as other:
                other.execute(text("INSERT INTO t VALUES (2)"))
        with read.connect() as reading:  # readers never take turns: the snapshot before the write
            assert reading.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        conn.rollback()
        conn.close()
    with write.begin() as other:
        other.execute(text("INSERT INTO t VALUES (2)"))


def test_only_sqlite_write_engines_take_turns(engines):
    write, read = engines
    assert db.writer_of(write) is not None and db.writer_of(read) is None
