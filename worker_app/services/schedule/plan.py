"""Reading the schedule: the shift now or next, the two weeks, the staff list, the rules, and
when to get ready and leave home."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from ...models import Shift, ShiftRule, User
from .oslo_time import LONGEST_SHIFT, at_oslo, oslo


@dataclass
class DayPlan:
    day: date
    shifts: list[Shift]


def current_or_next(session: Session, worker: User, now: datetime) -> Shift | None:
    """The shift going on now, or else the next one: one query."""
    return session.scalar(
        select(Shift).options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.cancelled_at.is_(None), Shift.ends_at > now,
               Shift.starts_at > now - LONGEST_SHIFT)
        .order_by(Shift.starts_at).limit(1)
    )


def two_weeks(session: Session, worker: User, today: date) -> list[DayPlan]:
    """This week and next, Monday to Sunday, one entry per day: one query."""
    monday = today - timedelta(days=today.weekday())
    start, end = at_oslo(monday, time()), at_oslo(monday + timedelta(days=14), time())
    shifts = session.scalars(_two_weeks_query(), {"worker_id": worker.id, "start": start, "end": end}).all()
    days = [DayPlan(monday + timedelta(days=i), []) for i in range(14)]
    for shift in shifts:
        days[(oslo(shift.starts_at).date() - monday).days].shifts.append(shift)
    return days


@cache
def _two_weeks_query():
    # Built once: Vakter asks it on every visit (see auth._session_user_query).
    return (select(Shift).options(joinedload(Shift.workplace))
            .where(Shift.worker_id == bindparam("worker_id"), Shift.starts_at >= bindparam("start"),
                   Shift.starts_at < bindparam("end"))
            .order_by(Shift.starts_at))


def for_staff(session: Session, worker: User, now: datetime, days: int = 28) -> list[Shift]:
    """The coming shifts a specialist manages, cancelled ones included: one query."""
    return list(session.scalars(
        select(Shift).options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.ends_at > now - timedelta(days=1),
               Shift.starts_at > now - timedelta(days=1) - LONGEST_SHIFT,
               Shift.starts_at < now + timedelta(days=days))
        .order_by(Shift.starts_at)
    ))


def rules_of(session: Session, worker: User) -> list[ShiftRule]:
    return list(session.scalars(
        select(ShiftRule).options(joinedload(ShiftRule.workplace))
        .where(ShiftRule.worker_id == worker.id).order_by(ShiftRule.starts_on)
    ))


@dataclass
class LeaveHome:
    get_ready: datetime | None
    leave: datetime


def leave_home(shift: Shift, worker: User) -> LeaveHome | None:
    """When to start getting ready and when to leave home, from the worker's own minutes."""
    if worker.travel_minutes is None:
        return None
    leave = shift.starts_at - timedelta(minutes=worker.travel_minutes)
    ready = leave - timedelta(minutes=worker.ready_minutes) if worker.ready_minutes else None
    return LeaveHome(ready, leave)


def minutes_left(shift: Shift, now: datetime) -> int | None:
    """Whole minutes left of a shift going on now, else None."""
    if not shift.starts_at <= now < shift.ends_at:
        return None
    return int((shift.ends_at - now).total_seconds() // 60)
