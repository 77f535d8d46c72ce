"""Deadlines live in `server_sync.protocol.deadlines`: the kiosk prints the same due date offline."""

from server_sync.protocol.deadlines import *  # noqa: F403
from server_sync.protocol.deadlines import (  # noqa: F401
    END_OF_WORKDAY,
    SIGNAL_TERM_MONTHS,
    SOFIA,
    add_months,
    add_working_days,
    deadline_for,
    is_working_day,
    orthodox_easter,
    public_holidays,
    signal_deadline,
)
