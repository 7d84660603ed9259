"""Shifts: entering them (one, or a repeating rule), changing and cancelling them, and the
worker's get-ready and travel minutes.

Times are stored in UTC and entered and shown as Oslo wall-clock time. A repeating rule is
expanded into shift rows when it is made, so that a single occurrence can be moved or cancelled
without touching the rest.
"""

from __future__ import annotations

from datetime import date, datetime, time

from dateutil.rrule import WEEKLY, rrule
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Shift, ShiftRule, User
from ...models.types import utcnow
from ..audit import record
from ..errors import Conflict, Invalid, Overlap
from ..parsing import small_int
from .notices import notify
from .oslo_time import check_span, clean_note, oslo, parse_date, parse_time, span
from .rules import MAX_RULE_DAYS, check_weekdays, rule_days


def check_no_overlap(session: Session, worker: User, spans, ignore_id: int | None = None,
                      field: str = "start"):
    """Refuse a shift that overlaps another live shift of the same worker."""
    if not spans:
        return
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    existing = session.execute(
        select(Shift.starts_at, Shift.ends_at).where(
            Shift.worker_id == worker.id, Shift.cancelled_at.is_(None),
            Shift.starts_at < last, Shift.ends_at > first,
            Shift.id != (ignore_id or -1),
        )
    ).all()
    for start, end in spans:
        for other_start, other_end in existing:
            if start < other_end and other_start < end:
                raise overlap_error(other_start, field)


def overlap_error(other_start: datetime, field: str) -> Overlap:
    when = oslo(other_start)
    return Overlap(_l("Arbeidstakeren har allerede en vakt da: %(day)s kl. %(time)s.",
                      day=when.date().isoformat(), time=when.strftime("%H:%M")), field=field)


# Entering and changing shifts --------------------------------------------------------------


def add_shift(session: Session, *, worker: User, by: User, day: str, start: str, end: str,
              workplace_id: int | None = None, note: str = "") -> Shift:
    starts_at, ends_at = span(parse_date(day, "day"), parse_time(start, "start"),
                               parse_time(end, "end"))
    return add_shift_at(session, worker=worker, by=by, starts_at=starts_at, ends_at=ends_at,
                        workplace_id=workplace_id, note=note, overlap_field="start")


def add_shift_at(session: Session, *, worker: User, by: User, starts_at: datetime, ends_at: datetime,
                 workplace_id: int | None = None, note: str = "", overlap_field: str = "starts_at") -> Shift:
    starts_at, ends_at = check_span(starts_at, ends_at)
    check_no_overlap(session, worker, [(starts_at, ends_at)], field=overlap_field)
    shift = Shift(worker_id=worker.id, workplace_id=workplace_id or worker.workplace_id,
                  starts_at=starts_at, ends_at=ends_at, note=clean_note(note))
    session.add(shift)
    record(session, by, "shift.create", worker, starts_at.isoformat())
    session.flush()
    return shift


def occurrences(weekdays: list[int], starts_on: date, ends_on: date) -> list[date]:
    days = rrule(WEEKLY, byweekday=sorted(set(weekdays)), dtstart=datetime.combine(starts_on, time()),
                 until=datetime.combine(ends_on, time()))
    return [d.date() for d in days]


def add_rule(session: Session, *, worker: User, by: User, weekdays: list[int], start: str,
             end: str, starts_on: str, ends_on: str, workplace_id: int | None = None,
             note: str = "", on_holidays: bool = False) -> tuple[ShiftRule, list[Shift]]:
    """Make a repeating rule and all its shifts, or nothing at all. Norway's public holidays
    are left free unless `on_holidays` (rules.skipped_days(rule) lists them)."""
    weekdays = check_weekdays(weekdays)
    start_t, end_t = parse_time(start, "start"), parse_time(end, "end")
    first = parse_date(starts_on, "starts_on")
    if not (ends_on or "").strip():
        raise Invalid(_l("Skriv når vaktene skal slutte. Høyst 1 år fram."), field="ends_on")
    last = parse_date(ends_on, "ends_on")
    if last < first:
        raise Invalid(_l("Siste dag må være etter første dag."), field="ends_on")
    if (last - first).days > MAX_RULE_DAYS:
        raise Invalid(_l("Høyst 1 år om gangen."), field="ends_on")
    days, skipped = rule_days(weekdays, first, last, on_holidays)
    if not days and not skipped:
        raise Invalid(_l("Ingen av dagene er mellom første og siste dag."), field="weekdays")
    if not days:
        raise Invalid(_l("Alle dagene er helligdager. Kryss av for «Også på helligdager»."),
                      field="on_holidays")
    spans = [span(day, start_t, end_t) for day in days]
    check_no_overlap(session, worker, spans)
    rule = ShiftRule(worker_id=worker.id, workplace_id=workplace_id or worker.workplace_id,
                     weekdays="".join(str(d) for d in sorted(set(weekdays))),
                     start_time=start_t.strftime("%H:%M"), end_time=end_t.strftime("%H:%M"),
                     starts_on=first, ends_on=last, note=clean_note(note), created_by_id=by.id,
                     on_holidays=bool(on_holidays))
    session.add(rule)
    session.flush()
    shifts = [Shift(worker_id=worker.id, workplace_id=rule.workplace_id, rule_id=rule.id,
                    starts_at=s, ends_at=e, note=rule.note) for s, e in spans]
    session.add_all(shifts)
    record(session, by, "shift_rule.create", worker,
           f"{rule.weekdays} {rule.start_time}-{rule.end_time} {first}..{last}")
    session.flush()
    return rule, shifts


def move_shift(session: Session, shift: Shift, *, by: User, day: str, start: str, end: str,
               note: str | None = None) -> Shift:
    """Move one shift (an occurrence of a rule or not); the rest of the rule is untouched."""
    starts_at, ends_at = span(parse_date(day, "day"), parse_time(start, "start"),
                               parse_time(end, "end"))
    return move_shift_at(session, shift, by=by, starts_at=starts_at, ends_at=ends_at, note=note,
                         overlap_field="start")


def move_shift_at(session: Session, shift: Shift, *, by: User, starts_at: datetime, ends_at: datetime,
                  note: str | None = None, overlap_field: str = "starts_at") -> Shift:
    if shift.cancelled_at is not None:
        # Moving it would tell the worker "the shift has changed" about a shift that is off.
        raise Conflict(_l("Vakten er avlyst. Den kan ikke flyttes."))
    starts_at, ends_at = check_span(starts_at, ends_at)
    if (starts_at, ends_at) == (shift.starts_at, shift.ends_at) and note in (None, shift.note):
        return shift  # nothing changes, so nobody is told anything
    check_no_overlap(session, shift.worker, [(starts_at, ends_at)], ignore_id=shift.id, field=overlap_field)
    shift.starts_at, shift.ends_at = starts_at, ends_at
    if note is not None:
        shift.note = clean_note(note)
    shift.changed_at = utcnow()
    notify(session, shift, "shift_changed")
    record(session, by, "shift.move", shift.worker, starts_at.isoformat())
    session.flush()
    return shift


def cancel_shift(session: Session, shift: Shift, *, by: User) -> Shift:
    if shift.cancelled_at is None:
        shift.cancelled_at = shift.changed_at = utcnow()
        notify(session, shift, "shift_cancelled")
        record(session, by, "shift.cancel", shift.worker, shift.starts_at.isoformat())
        session.flush()
    return shift


def set_travel(session: Session, worker: User, *, by: User, ready: str, travel: str,
               escalate: str | None = None) -> None:
    """Get-ready and travel minutes, and (escalate) the margin after leave-home time before the
    helpers are told that "Jeg har gått" has not come: 1 to 120 minutes, empty keeps it."""
    if escalate is not None and (escalate or "").strip():
        margin = small_int(escalate.strip())
        if margin is None or not 1 <= margin <= 120:
            raise Invalid(_l("Skriv et antall minutter fra 1 til 120."), field="escalate_minutes")
        worker.escalate_minutes = margin
    values = {}
    for field, raw in (("ready_minutes", ready), ("travel_minutes", travel)):
        raw = (raw or "").strip()
        if not raw:
            values[field] = None
            continue
        minutes = small_int(raw)
        if minutes is None or minutes > 240:
            raise Invalid(_l("Skriv et antall minutter fra 0 til 240."), field=field)
        values[field] = minutes
    worker.ready_minutes, worker.travel_minutes = values["ready_minutes"], values["travel_minutes"]
    record(session, by, "worker.travel", worker, f"{values}")
    session.flush()
