"""The kinds of reminder, which a worker or helper can turn off, and the moments of a shift
(get ready, leave home, tell the helpers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ...models import (
    Role,
    Shift,
    User,
)
from ..errors import Invalid

# The kinds a worker can turn off in Innstillinger, one tap each ("shift_changed" covers a
# cancelled shift too), and those a helper (specialist or support person) can.
WORKER_KINDS = ("get_ready", "leave_home", "shift_changed", "new_task", "event_tomorrow", "event_place")
HELPER_KINDS = ("not_left", "late", "help")
# Shift-critical: sent in quiet hours when the shift itself starts then. The day's budget keeps
# room for the moments of the day's shifts first (get ready, leave home).
CRITICAL = {"get_ready", "leave_home", "shift_changed", "shift_cancelled"}
# About a shift at a fixed moment: not worth sending this long after the moment.
TIMED = {"get_ready", "leave_home", "not_left"}
DAILY_BUDGET = 6
QUIET_FROM, QUIET_TO = 22, 7  # Oslo hours
LATE_LIMIT = timedelta(minutes=15)
# Without travel minutes the app does not guess when to leave: only "Gjør deg klar", 1 hour before.
DEFAULT_GET_READY = timedelta(hours=1)
MAX_TRIES = 3
LEFT_TOKEN_AGE = 2 * 24 * 3600


def kind_of(kind: str) -> str:
    """The switch in Innstillinger that a kind belongs to."""
    return "shift_changed" if kind == "shift_cancelled" else kind


def is_on(user: User, kind: str) -> bool:
    return kind_of(kind) not in (user.reminders_off or "").split()


def set_kind(session: Session, user: User, kind: str, on: bool) -> None:
    if kind not in WORKER_KINDS + HELPER_KINDS and kind != "calendar_alarms":
        raise Invalid(_("Velg en av varslene."), field="kind")
    if kind == "calendar_alarms":
        user.calendar_alarms = on
    else:
        off = set((user.reminders_off or "").split())
        off = off - {kind} if on else off | {kind}
        user.reminders_off = " ".join(sorted(off))
    session.flush()


def kinds_for(user: User) -> tuple[str, ...]:
    if user.role == Role.WORKER:
        return WORKER_KINDS
    if user.role == Role.SUPPORT:
        return ("not_left", "late")
    if user.role == Role.SPECIALIST:
        return HELPER_KINDS
    return ()


# The moments of a shift ---------------------------------------------------------------------


@dataclass
class Moments:
    get_ready: datetime | None
    leave_home: datetime | None
    escalate: datetime | None  # leave-home time + the worker's margin


def moments(shift: Shift, worker: User) -> Moments:
    if worker.travel_minutes is None:
        return Moments(shift.starts_at - DEFAULT_GET_READY, None, None)
    leave = shift.starts_at - timedelta(minutes=worker.travel_minutes)
    ready = leave - timedelta(minutes=worker.ready_minutes) if worker.ready_minutes else None
    margin = worker.escalate_minutes if worker.escalate_minutes is not None else 10
    return Moments(ready, leave, leave + timedelta(minutes=margin))


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
