"""Reminders: the few moments the app speaks up, and sending them as Web Push.

A reminder is a row with a unique key naming its moment, so it is recorded once however many
senders run. `plan` records the moments that have come (from shift start, travel and get-ready
minutes); services record the others as they happen (a moved shift, a new task, a place on an
event, a help request). A sender `claim`s due rows (FOR UPDATE SKIP LOCKED on PostgreSQL; on
SQLite the one UPDATE statement holds the database's single write lock), its command commits
the claim, then `deliver` sends each one. A claimed row is never claimed again, so nothing is
sent twice, even when a sender dies half-way.

What is sent is built when it is sent, from the shift as it is then: a shift moved after its
reminder was recorded sends the new time, a cancelled one sends nothing.

One module per job: kinds (the kinds and a shift's moments), recording, left_home ("Jeg har
gått"), devices, messages and sending. Everything other code uses is re-exported here, so
`from worker_app.services import reminders; reminders.plan(...)` works.
"""

from __future__ import annotations

from .devices import device_count, forget_devices, subscribe, unsubscribe
from .kinds import (
    CRITICAL,
    DAILY_BUDGET,
    DEFAULT_GET_READY,
    HELPER_KINDS,
    LATE_LIMIT,
    LEFT_TOKEN_AGE,
    MAX_TRIES,
    QUIET_FROM,
    QUIET_TO,
    TIMED,
    WORKER_KINDS,
    Moments,
    is_on,
    kind_of,
    kinds_for,
    moments,
    set_kind,
    suggestions,
)
from .left_home import (
    NowCard,
    current_or_next_read,
    current_or_next_with_answer,
    left_token,
    mark_late,
    mark_left,
    now_card,
    read_left_token,
)
from .messages import message
from .recording import event_place, help_asked, helper_ids, new_task, plan, shift_changed
from .sending import PushFn, PushResult, claim, deliver, pushes_today, web_push

__all__ = [
    "CRITICAL", "DAILY_BUDGET", "DEFAULT_GET_READY", "HELPER_KINDS", "LATE_LIMIT", "LEFT_TOKEN_AGE",
    "MAX_TRIES", "QUIET_FROM", "QUIET_TO", "TIMED", "WORKER_KINDS", "Moments", "NowCard", "PushFn",
    "PushResult", "claim", "current_or_next_read", "current_or_next_with_answer", "deliver", "device_count",
    "event_place",
    "forget_devices", "help_asked", "helper_ids", "is_on", "kind_of", "kinds_for", "left_token",
    "mark_late", "mark_left", "message", "moments", "new_task", "now_card", "plan", "pushes_today",
    "read_left_token", "set_kind", "shift_changed", "subscribe", "suggestions", "unsubscribe", "web_push",
]
