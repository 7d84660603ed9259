"""Repeat rules after they are made: Norway's public holidays skipped, a rule changed or ended.

A rule is expanded into shift rows (see shifts.add_rule). Changing or ending it touches only
its shifts that start after now. A future shift the specialist already moved or cancelled by
hand is kept as it is when the rule changes: that was a choice about that one day. The worker,
and the support persons who may see shifts, get one notice about the whole rule.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...models import Notice, Shift, ShiftRule, User
from ...models.reminders import LeftHome, Reminder
from ...models.types import utcnow
from ..audit import record
from ..errors import Invalid
from .notices import told_about
from .oslo_time import at_oslo, oslo, parse_date, parse_time, span

MAX_RULE_DAYS = 366


def public_holidays(first: date, last: date) -> dict[date, str]:
    """Norway's public holidays from first to last, with their Norwegian names. Plain Sundays
    are not holidays here (some versions of the calendar can list them as "Søndag")."""
    days = holidays.country_holidays("NO", years=range(first.year, last.year + 1), language="no")
    return {day: name for day, name in sorted(days.items())
            if first <= day <= last and name.strip().lower() != "søndag"}


def rule_days(weekdays, first: date, last: date, on_holidays: bool) -> tuple[list[date], list[date]]:
    """The days a rule has a shift, and the public holidays it skips (empty if `on_holidays`)."""
    wanted = {int(d) for d in weekdays}
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    days = [day for day in days if day.weekday() in wanted]
    if on_holidays:
        return days, []
    free = public_holidays(first, last)
    return [d for d in days if d not in free], [d for d in days if d in free]


def skipped_days(rule: ShiftRule) -> list[date]:
    """The public holidays this rule leaves free."""
    return rule_days(rule.weekdays, rule.starts_on, rule.ends_on, rule.on_holidays)[1]


def check_weekdays(weekdays) -> list[int]:
    if not weekdays or not {int(d) for d in weekdays} <= set(range(7)):
        raise Invalid(_l("Velg minst én dag."), field="weekdays")
    return sorted({int(d) for d in weekdays})


def change_rule(session: Session, rule: ShiftRule, *, by: User, weekdays, start: str, end: str,
                ends_on: str, on_holidays: bool, now: datetime) -> list[Shift] | None:
    """New times, days or last day for the shifts still to come; None if nothing changed."""
    from .shifts import check_no_overlap

    days_of_week = check_weekdays(weekdays)
    start_t, end_t = parse_time(start, "start"), parse_time(end, "end")
    today = oslo(now).date()
    if not (ends_on or "").strip():
        raise Invalid(_l("Skriv når vaktene skal slutte. Høyst 1 år fram."), field="ends_on")
    last = parse_date(ends_on, "ends_on")
    if last < max(today, rule.starts_on):
        raise Invalid(_l("Siste dag kan ikke være før i dag eller før første dag."), field="ends_on")
    if (last - max(today, rule.starts_on)).days > MAX_RULE_DAYS:
        raise Invalid(_l("Høyst 1 år om gangen."), field="ends_on")
    span(today, start_t, end_t)  # the end after the start, before anything is touched
    new = ("".join(map(str, days_of_week)), start_t.strftime("%H:%M"), end_t.strftime("%H:%M"), last,
           bool(on_holidays))
    if new == (rule.weekdays, rule.start_time, rule.end_time, rule.ends_on, rule.on_holidays):
        return None
    kept = _remove_untouched(session, rule, now)
    kept_days = {oslo(s.starts_at).date() for s in kept}
    first = max(today, rule.starts_on)
    days, _skipped = rule_days(days_of_week, first, last, on_holidays)
    spans = [s for s in (span(day, start_t, end_t) for day in days if day not in kept_days) if s[0] > now]
    check_no_overlap(session, rule_worker(session, rule), spans)
    rule.weekdays, rule.start_time, rule.end_time, rule.ends_on, rule.on_holidays = new
    shifts = [Shift(worker_id=rule.worker_id, workplace_id=rule.workplace_id, rule_id=rule.id,
                    starts_at=s, ends_at=e, note=rule.note) for s, e in spans]
    session.add_all(shifts)
    _tell(session, rule, "rule_changed")
    record(session, by, "shift_rule.update", rule_worker(session, rule),
           f"{rule.id} {rule.weekdays} {rule.start_time}-{rule.end_time} ..{last}")
    session.flush()
    return shifts


def end_rule(session: Session, rule: ShiftRule, *, by: User, from_day: str, now: datetime) -> int:
    """No more shifts from this rule from `from_day` on. Returns how many shifts were taken away.

    Shifts not touched by hand are removed; a shift moved by hand is cancelled (it came from the
    rule); a cancelled shift stays cancelled. One notice, not one per shift."""
    first = parse_date(from_day, "from_day")
    today = oslo(now).date()
    if first < today:
        raise Invalid(_l("Velg i dag eller en dag senere."), field="from_day")
    if first > rule.ends_on:
        raise Invalid(_l("Vaktene slutter allerede før denne dagen."), field="from_day")
    cutoff = max(at_oslo(first, time()), now)
    removed = len(_remove_untouched(session, rule, cutoff, keep_moved=False))
    rule.ends_on = first - timedelta(days=1)
    _tell(session, rule, "rule_ended")
    record(session, by, "shift_rule.end", rule_worker(session, rule), f"{rule.id} from {first}")
    session.flush()
    return removed


def rule_worker(session: Session, rule: ShiftRule) -> User:
    return session.get(User, rule.worker_id)


def get_rule(session: Session, rule_id: int) -> ShiftRule | None:
    return session.get(ShiftRule, rule_id)


def _remove_untouched(session: Session, rule: ShiftRule, after: datetime, keep_moved: bool = True) -> list[Shift]:
    """Delete the rule's shifts starting after `after` that nobody changed by hand; return the
    ones kept. With keep_moved False, a moved one is cancelled (and counted as taken away)."""
    future = list(session.scalars(select(Shift).where(Shift.rule_id == rule.id, Shift.starts_at > after)))
    untouched = [s.id for s in future if s.changed_at is None and s.cancelled_at is None]
    kept = [s for s in future if s.id not in set(untouched)]
    if untouched:
        session.execute(delete(Reminder).where(Reminder.shift_id.in_(untouched)))
        session.execute(delete(LeftHome).where(LeftHome.shift_id.in_(untouched)))
        session.execute(delete(Shift).where(Shift.id.in_(untouched)),
                        execution_options={"synchronize_session": "fetch"})
    if keep_moved:
        return kept
    for shift in kept:
        if shift.cancelled_at is None:
            shift.cancelled_at = shift.changed_at = utcnow()
            untouched.append(shift.id)
    return untouched


def _tell(session: Session, rule: ShiftRule, kind: str) -> None:
    for user_id in told_about(session, rule.worker_id):
        session.add(Notice(user_id=user_id, worker_id=rule.worker_id, kind=kind, rule=rule))
