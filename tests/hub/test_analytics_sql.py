"""The satisfaction summary, heatmap, trend and terminal summary are counted by the database: every
statement they send over the presses groups, only groups come back, and on SQLite the month's range
is read from the covering index alone (bench/hub_analytics.py measures the time at 10 million presses)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import event, func, select, text

from server_sync.hub.analytics import queries
from server_sync.hub.models import FeedbackPress

from .test_analytics import hub, local  # noqa: F401 (fixture)

FEBRUARY = queries.Period(datetime(2026, 2, 1, tzinfo=timezone.utc), datetime(2026, 3, 1, tzinfo=timezone.utc))


def _sent_over_presses(hub, work) -> list[str]:
    """Run `work(session)`; return the SQL it sent that reads the presses."""
    sent: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "feedback_presses" in statement:
            sent.append(statement)

    event.listen(hub.engine, "before_cursor_execute", before)
    try:
        with hub.sessions() as session:
            answer = work(session)
    finally:
        event.remove(hub.engine, "before_cursor_execute", before)
    assert answer
    return sent


def test_summaries_group_in_the_database(hub):
    for work in (
        lambda s: queries.satisfaction(session=s, group_by="counter", period=FEBRUARY),
        lambda s: queries.heatmap(session=s, period=FEBRUARY, tz="Europe/Sofia")["cells"],
        lambda s: queries.trend(session=s, interval="day", period=FEBRUARY, tz="Europe/Sofia")["points"],
        lambda s: queries.terminal_summary(session=s)["terminals"],
    ):
        sent = _sent_over_presses(hub, work)
        assert sent, "no statement over the presses"
        assert all("GROUP BY" in s for s in sent), sent


def test_heatmap_groups_are_few_and_add_up(hub):
    """The database returns one row per UTC hour and kind of press, not one per press (F01's two
    presses of 4 an hour come back as one row of n = 2), and the cells still add up to every press."""
    with hub.sessions() as session:
        hour = queries.utc_hour_of(session, FeedbackPress.terminal_time)
        grouped = queries._grouped(session, FEBRUARY, [hour.label("hour")])
        presses = session.scalar(select(func.count()).select_from(FeedbackPress))
        cells = queries.heatmap(session=session, period=FEBRUARY, tz="Europe/Sofia")["cells"]
        kinds = {(p.terminal_time.replace(minute=0, second=0, microsecond=0), p.score, p.scale, p.filtered,
                  p.filter_reason, p.outside_hours) for p in session.scalars(select(FeedbackPress))}
    assert sum(g.n for g in grouped) == presses
    assert len(grouped) == len(kinds) < presses
    assert max(g.n for g in grouped) >= 2
    assert sum(c["responses"] + c["filtered"] for c in cells) == presses
    # A group's hour is the press's UTC hour: 09:05 Sofia on 2 February is 07:00 UTC.
    first = min(g.hour for g in grouped)
    assert datetime.fromtimestamp(first * 3600, timezone.utc) == local(2, 9, 0)


def test_a_month_is_read_from_the_covering_index(hub):
    if hub.engine.dialect.name != "sqlite":
        return  # PostgreSQL's plan depends on its statistics; the bench shows its index-only scan
    with hub.sessions() as session:
        hour = queries.utc_hour_of(session, FeedbackPress.terminal_time)
        how = (FeedbackPress.score, FeedbackPress.scale, FeedbackPress.filtered)
        q = (select(hour, *how, func.count()).group_by(hour, *how)
             .where(FeedbackPress.terminal_time >= FEBRUARY.since, FeedbackPress.terminal_time < FEBRUARY.until))
        compiled = q.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "COVERING INDEX ix_feedback_presses_time_cover" in plan, plan


def test_every_press_stores_its_utc_hour_as_it_is_inserted(hub):
    """The heatmap groups by the stored hour: rows inserted in bulk and presses arriving from a
    terminal both carry it (a missing one would be computed per row, the slow way)."""
    import uuid

    from server_sync.hub.services.feedback import ingest
    from server_sync.protocol import FeedbackBatch, Press

    at = local(20, 15, 59, 59)
    with hub.sessions.begin() as session:
        ingest(session=session, terminal_id="F02", batch=FeedbackBatch(presses=[
            Press(press_id=uuid.uuid4(), terminal_time=at, seq=1, score=3, scale=4)]))
    with hub.sessions() as session:
        rows = session.execute(select(FeedbackPress.terminal_time, FeedbackPress.utc_hour)).all()
    assert len(rows) > 800
    assert all(hour == int(at_.timestamp()) // 3600 for at_, hour in rows)
    assert int(at.timestamp()) // 3600 in {hour for _, hour in rows}
