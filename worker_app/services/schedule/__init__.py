"""The schedule: shifts entered (one, or a repeating rule), changed and read, in Oslo time.

One module per job: oslo_time (parsing and Oslo wall-clock time), shifts (entering and changing),
plan (reading the day and the weeks), notices, calendar_feed (iCalendar) and roster (the API's
ranges and roster uploads). Everything other code uses is re-exported here, so
`from worker_app.services import schedule; schedule.add_shift(...)` works.
"""

from __future__ import annotations

from ..errors import Invalid
from .calendar_feed import (
    calendar_feed,
    calendar_token,
    is_on_event,
    renew_calendar,
    worker_for_calendar_token,
)
from .notices import mark_notices_read, notify, unread_notices
from .oslo_time import (
    MAX_SHIFT_HOURS,
    OSLO,
    at_oslo,
    check_span,
    clean_note,
    oslo,
    parse_date,
    parse_time,
)
from .plan import (
    DayPlan,
    LeaveHome,
    current_or_next,
    future_for_staff,
    leave_home,
    minutes_left,
    page_token,
    read_page_token,
    rules_of,
    two_weeks,
)
from .roster import (
    MAX_RANGE_DAYS,
    RosterResult,
    RosterRow,
    get_shift,
    shifts_between,
    upsert_roster,
)
from .rules import change_rule, end_rule, get_rule, public_holidays, rule_days, skipped_days
from .shifts import (
    MAX_RULE_DAYS,
    add_rule,
    add_shift,
    add_shift_at,
    cancel_shift,
    move_shift,
    move_shift_at,
    occurrences,
    set_travel,
)

__all__ = [
    "MAX_RANGE_DAYS", "MAX_RULE_DAYS", "MAX_SHIFT_HOURS", "OSLO", "DayPlan", "Invalid", "LeaveHome",
    "RosterResult", "RosterRow", "add_rule", "add_shift", "add_shift_at", "at_oslo", "calendar_feed",
    "calendar_token", "cancel_shift", "check_span", "clean_note", "current_or_next",
    "get_shift", "is_on_event", "leave_home",
    "mark_notices_read", "minutes_left", "move_shift", "move_shift_at", "notify", "occurrences",
    "oslo", "parse_date", "parse_time", "renew_calendar", "rules_of", "set_travel",
    "shifts_between", "two_weeks", "change_rule", "end_rule", "get_rule", "public_holidays", "rule_days",
    "skipped_days", "future_for_staff", "page_token", "read_page_token", "unread_notices", "upsert_roster",
    "worker_for_calendar_token",
]
