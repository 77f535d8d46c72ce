"""The fleet page shows a terminal's queued items the hub refused: count and reason,
from its heartbeat; such a terminal sorts among those with problems."""

from __future__ import annotations

import html

from .conftest import enroll
from .test_web_fleet import send_beat, table_ids, tech  # noqa: F401 (fixture)


def test_parked_rejected_items_show_with_their_reason(tech, client, hub):
    healthy = enroll(client, hub, name="Фоайе")
    parked = enroll(client, hub, name="Гише 5")
    send_beat(client, healthy, queue_depth=0)
    reason = "422 validation_error: form.copies: must be a whole number <x>"
    send_beat(client, parked, queue_depth=0, rejected_items=2, last_rejection=reason)
    page = tech.get("/admin/fleet").text
    assert "отказани: 2" in page and html.escape(reason) in page and "<x>" not in page
    assert table_ids(page)[0] == parked["terminal_id"]  # a problem: before the healthy one
    send_beat(client, parked, queue_depth=0, rejected_items=0)
    assert "отказани" not in tech.get("/admin/fleet").text
