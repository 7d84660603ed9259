"""Shifts: entering them (one, or a repeating rule), changing them, and planning the day.

Times are stored in UTC and entered and shown as Oslo wall-clock time. A repeating rule is
expanded into shift rows when it is made, so that a single occurrence can be moved or cancelled
without touching the rest.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ..models import Notice, Permission, Shift, ShiftRule, SupportLink, User
from ..models.types import utcnow
from .audit import record
from .errors import Conflict, Invalid, NotFound, Overlap
from .limits import NOTE_MAX
from .paging import Key, Page, keyset
from .parsing import small_int

OSLO = ZoneInfo("Europe/Oslo")
MAX_RULE_DAYS = 366
MAX_SHIFT_HOURS = 16
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# Parsing what a person typed ---------------------------------------------------------------


def parse_time(value: str, field: str) -> time:
    match = _HHMM.match((value or "").strip())
    if not match:
        raise Invalid(_l("Skriv klokkeslettet som TT:MM, for eksempel 09:00."), field=field)
    return time(int(match.group(1)), int(match.group(2)))


def parse_date(value: str, field: str) -> date:
    try:
        day = date.fromisoformat((value or "").strip())
        if not 2000 <= day.year <= 2100:
            raise ValueError("out of range")
        return day
    except ValueError:
        raise Invalid(_l("Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-12-04."),
                      field=field) from None


def at_oslo(day: date, clock: time) -> datetime:
    """The UTC instant of an Oslo wall-clock time on a day (DST-aware)."""
    return datetime.combine(day, clock, tzinfo=OSLO).astimezone(UTC)


def oslo(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)


def _span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    if end <= start:
        raise Invalid(_l("Slutten må være etter starten."), field="end")
    return check_span(at_oslo(day, start), at_oslo(day, end), field="end")


def clean_note(note: str, field: str = "note") -> str:
    """A note to the worker, as written; too long is refused, never cut."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=NOTE_MAX), field=field)
    return note


def check_span(starts_at: datetime, ends_at: datetime, field: str = "ends_at") -> tuple[datetime, datetime]:
    """A shift's start and end as UTC instants: the end after the start, at most 16 hours on."""
    starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    if ends_at <= starts_at:
        raise Invalid(_l("Slutten må være etter starten."), field=field)
    if ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise Invalid(_l("En vakt kan vare høyst 16 timer."), field=field)
    return starts_at, ends_at


def _check_no_overlap(session: Session, worker: User, spans, ignore_id: int | None = None,
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
                raise _overlap(other_start, field)


def _overlap(other_start: datetime, field: str) -> Overlap:
    when = oslo(other_start)
    return Overlap(_l("Arbeidstakeren har allerede en vakt da: %(day)s kl. %(time)s.",
                      day=when.date().isoformat(), time=when.strftime("%H:%M")), field=field)


# Entering and changing shifts --------------------------------------------------------------


def add_shift(session: Session, *, worker: User, by: User, day: str, start: str, end: str,
              workplace_id: int | None = None, note: str = "") -> Shift:
    starts_at, ends_at = _span(parse_date(day, "day"), parse_time(start, "start"),
                               parse_time(end, "end"))
    return add_shift_at(session, worker=worker, by=by, starts_at=starts_at, ends_at=ends_at,
                        workplace_id=workplace_id, note=note, overlap_field="start")


def add_shift_at(session: Session, *, worker: User, by: User, starts_at: datetime, ends_at: datetime,
                 workplace_id: int | None = None, note: str = "", overlap_field: str = "starts_at") -> Shift:
    starts_at, ends_at = check_span(starts_at, ends_at)
    _check_no_overlap(session, worker, [(starts_at, ends_at)], field=overlap_field)
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
             note: str = "") -> tuple[ShiftRule, list[Shift]]:
    """Make a repeating rule and all its shifts, or nothing at all."""
    if not weekdays or not set(weekdays) <= set(range(7)):
        raise Invalid(_l("Velg minst én dag."), field="weekdays")
    start_t, end_t = parse_time(start, "start"), parse_time(end, "end")
    first = parse_date(starts_on, "starts_on")
    if not (ends_on or "").strip():
        raise Invalid(_l("Skriv når vaktene skal slutte. Høyst 1 år fram."), field="ends_on")
    last = parse_date(ends_on, "ends_on")
    if last < first:
        raise Invalid(_l("Siste dag må være etter første dag."), field="ends_on")
    if (last - first).days > MAX_RULE_DAYS:
        raise Invalid(_l("Høyst 1 år om gangen."), field="ends_on")
    days = occurrences(weekdays, first, last)
    if not days:
        raise Invalid(_l("Ingen av dagene er mellom første og siste dag."), field="weekdays")
    spans = [_span(day, start_t, end_t) for day in days]
    _check_no_overlap(session, worker, spans)
    rule = ShiftRule(worker_id=worker.id, workplace_id=workplace_id or worker.workplace_id,
                     weekdays="".join(str(d) for d in sorted(set(weekdays))),
                     start_time=start_t.strftime("%H:%M"), end_time=end_t.strftime("%H:%M"),
                     starts_on=first, ends_on=last, note=clean_note(note), created_by_id=by.id)
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
    starts_at, ends_at = _span(parse_date(day, "day"), parse_time(start, "start"),
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
    _check_no_overlap(session, shift.worker, [(starts_at, ends_at)], ignore_id=shift.id, field=overlap_field)
    shift.starts_at, shift.ends_at = starts_at, ends_at
    if note is not None:
        shift.note = clean_note(note)
    shift.changed_at = utcnow()
    _notify(session, shift, "shift_changed")
    record(session, by, "shift.move", shift.worker, starts_at.isoformat())
    session.flush()
    return shift


def cancel_shift(session: Session, shift: Shift, *, by: User) -> Shift:
    if shift.cancelled_at is None:
        shift.cancelled_at = shift.changed_at = utcnow()
        _notify(session, shift, "shift_cancelled")
        record(session, by, "shift.cancel", shift.worker, shift.starts_at.isoformat())
        session.flush()
    return shift


def _notify(session: Session, shift: Shift, kind: str) -> None:
    """The worker, and each support person the worker lets see shifts, get a notice."""
    supporters = session.scalars(
        select(SupportLink.supporter_id).where(
            SupportLink.worker_id == shift.worker_id, SupportLink.confirmed_at.is_not(None),
            getattr(SupportLink, Permission.SEE_SHIFTS.value).is_(True))
    ).all()
    for user_id in (shift.worker_id, *supporters):
        session.add(Notice(user_id=user_id, worker_id=shift.worker_id, kind=kind, shift=shift))
    from . import reminders  # imported here: reminders reads the schedule's time helpers

    reminders.shift_changed(session, shift, kind)


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


# Reading: the day, the weeks, the staff list -----------------------------------------------


@dataclass
class DayPlan:
    day: date
    shifts: list[Shift]


def current_or_next(session: Session, worker: User, now: datetime) -> Shift | None:
    """The shift going on now, or else the next one: one query."""
    return session.scalar(
        select(Shift).options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.cancelled_at.is_(None), Shift.ends_at > now)
        .order_by(Shift.starts_at).limit(1)
    )


def two_weeks(session: Session, worker: User, today: date) -> list[DayPlan]:
    """This week and next, Monday to Sunday, one entry per day: one query."""
    monday = today - timedelta(days=today.weekday())
    start, end = at_oslo(monday, time()), at_oslo(monday + timedelta(days=14), time())
    shifts = session.scalars(
        select(Shift).options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.starts_at >= start, Shift.starts_at < end)
        .order_by(Shift.starts_at)
    ).all()
    days = [DayPlan(monday + timedelta(days=i), []) for i in range(14)]
    for shift in shifts:
        days[(oslo(shift.starts_at).date() - monday).days].shifts.append(shift)
    return days


def for_staff(session: Session, worker: User, now: datetime, days: int = 28) -> list[Shift]:
    """The coming shifts a specialist manages, cancelled ones included: one query."""
    return list(session.scalars(
        select(Shift).options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.ends_at > now - timedelta(days=1),
               Shift.starts_at < now + timedelta(days=days))
        .order_by(Shift.starts_at)
    ))


def rules_of(session: Session, worker: User) -> list[ShiftRule]:
    return list(session.scalars(
        select(ShiftRule).options(joinedload(ShiftRule.workplace))
        .where(ShiftRule.worker_id == worker.id).order_by(ShiftRule.starts_on)
    ))


def unread_notices(session: Session, user: User, limit: int = 5) -> list[Notice]:
    return list(session.scalars(
        select(Notice).options(joinedload(Notice.shift), joinedload(Notice.event),
                               joinedload(Notice.worker))
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .order_by(Notice.created_at.desc()).limit(limit)
    ))


def mark_notices_read(session: Session, user: User) -> None:
    for notice in session.scalars(
        select(Notice).where(and_(Notice.user_id == user.id, Notice.read_at.is_(None)))
    ):
        notice.read_at = utcnow()
    session.flush()


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


# The calendar feed -------------------------------------------------------------------------


def calendar_token(secret_key: str, worker: User) -> str:
    """A secret address that needs nothing stored: an HMAC of the id and a version to renew."""
    message = f"calendar:{worker.id}:{worker.calendar_version}".encode()
    digest = hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:40]
    return f"{worker.id}-{digest}"


def worker_for_calendar_token(session: Session, secret_key: str, token: str) -> User | None:
    worker_id = small_int((token or "").partition("-")[0])
    if worker_id is None:
        return None
    worker = session.get(User, worker_id)
    if worker is None or not worker.active:
        return None
    if not hmac.compare_digest(calendar_token(secret_key, worker), token):
        return None
    return worker


def renew_calendar(session: Session, worker: User) -> None:
    worker.calendar_version += 1
    session.flush()


def calendar_feed(session: Session, worker: User, now: datetime, title: str) -> bytes:
    shifts = session.scalars(
        select(Shift).options(joinedload(Shift.workplace))
        .where(Shift.worker_id == worker.id, Shift.cancelled_at.is_(None),
               Shift.ends_at > now - timedelta(days=30), Shift.starts_at < now + timedelta(days=366))
        .order_by(Shift.starts_at)
    ).all()
    cal = Calendar()
    cal.add("prodid", "-//Arbeidsdagen//worker_app//NO")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    for shift in shifts:
        event = Event()
        event.add("uid", f"shift-{shift.id}@arbeidsdagen")
        event.add("summary", shift.workplace.name if shift.workplace else title)
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", shift.changed_at or shift.created_at)
        if shift.note:
            event.add("description", shift.note)
        _add_alarms(event, shift, worker)
        cal.add_component(event)
    _add_joined_events(session, cal, worker, now)
    return cal.to_ical()


def _alarm(offset: timedelta, text: str):
    """A VALARM relative to the start, so a phone's own calendar rings at the right minute in
    any time zone and across a DST change."""
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", -offset)
    return alarm


def _add_alarms(event, shift: Shift, worker: User) -> None:
    """Alarms at the get-ready and leave-home minutes, as the push reminders (the worker's
    own switches decide both)."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from . import reminders

    if not worker.calendar_alarms:
        return
    at = reminders.moments(shift, worker)
    with force_locale(worker.locale or "nb"):
        for kind, moment, text in (("get_ready", at.get_ready, _("Gjør deg klar")),
                                   ("leave_home", at.leave_home, _("Gå hjemme-fra nå"))):
            if moment is not None and reminders.is_on(worker, kind):
                event.add_component(_alarm(shift.starts_at - moment, text))


def _add_joined_events(session: Session, cal, worker: User, now: datetime) -> None:
    """Events the worker joined, each with an alarm the day before. One query."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from ..models import GOING, Signup
    from ..models import Event as Gathering

    rows = session.scalars(
        select(Gathering).join(Signup, Signup.event_id == Gathering.id)
        .where(Signup.worker_id == worker.id, Signup.state == GOING, Gathering.cancelled_at.is_(None),
               Gathering.ends_at > now - timedelta(days=30), Gathering.starts_at < now + timedelta(days=366))
        .order_by(Gathering.starts_at)).all()
    with force_locale(worker.locale or "nb"):
        for gathering in rows:
            item = Event()
            item.add("uid", f"event-{gathering.id}@arbeidsdagen")
            item.add("summary", gathering.title)
            item.add("dtstart", gathering.starts_at)
            item.add("dtend", gathering.ends_at)
            item.add("dtstamp", gathering.created_at)
            item.add("location", gathering.place)
            if worker.calendar_alarms and is_on_event(worker):
                item.add_component(_alarm(timedelta(days=1), _("I morgen: %(title)s", title=gathering.title)))
            cal.add_component(item)


def is_on_event(worker: User) -> bool:
    from . import reminders

    return reminders.is_on(worker, "event_tomorrow")


# For integrations (the API) ------------------------------------------------------------------

_SHIFT_KEY = Key(Shift.starts_at, Shift.id, read=lambda s: (s.starts_at, s.id))
MAX_RANGE_DAYS = 400


def get_shift(session: Session, shift_id: int) -> Shift:
    shift = session.scalar(select(Shift).options(joinedload(Shift.worker)).where(Shift.id == shift_id))
    if shift is None:
        raise NotFound()
    return shift


def shifts_between(session: Session, worker: User, start: datetime, end: datetime,
                   after: tuple | None = None, limit: int = 50) -> Page:
    """The worker's shifts (cancelled ones too) that overlap [start, end), in time order."""
    if end <= start:
        raise Invalid(_l("«to» må være etter «from»."), field="to")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise Invalid(_l("Høyst 400 dager om gangen."), field="to")
    return keyset(session, select(Shift).where(
        Shift.worker_id == worker.id, Shift.starts_at < end, Shift.ends_at > start), _SHIFT_KEY, after, limit)


@dataclass
class RosterRow:
    external_id: str
    worker: User
    starts_at: datetime
    ends_at: datetime
    note: str = ""
    cancelled: bool = False


@dataclass
class RosterResult:
    shifts: list[tuple[str, Shift]]
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_roster(session: Session, *, by: User, source: str, rows: list[RosterRow],
                  existing: dict[str, Shift]) -> RosterResult:
    """Make or update each shift of an employer's roster, keyed by the employer's own id.

    All or nothing: the first bad row (its index in `field`) stops it before anything is written.
    Sending the same roster again changes nothing: a row equal to its shift is left alone.
    """
    seen: set[str] = set()
    spans: dict[int, list[tuple[datetime, datetime, int, str | None]]] = {}
    for i, row in enumerate(rows):
        if row.external_id in seen:
            raise Invalid(_l("Samme external_id er sendt to ganger."), field=f"/shifts/{i}/external_id")
        seen.add(row.external_id)
        row.starts_at, row.ends_at = check_span(row.starts_at, row.ends_at, field=f"/shifts/{i}/ends_at")
        row.note = clean_note(row.note, field=f"/shifts/{i}/note")
        if not row.cancelled:
            spans.setdefault(row.worker.id, []).append((row.starts_at, row.ends_at, i, row.external_id))
    _check_roster_overlaps(session, source, spans, replaced={s.id for s in existing.values()})

    result = RosterResult(shifts=[])
    changed: list[tuple[Shift, str]] = []
    for row in rows:
        shift = existing.get(row.external_id)
        note = row.note
        if shift is None:
            shift = Shift(worker_id=row.worker.id, workplace_id=row.worker.workplace_id, starts_at=row.starts_at,
                          ends_at=row.ends_at, note=note, external_source=source, external_id=row.external_id,
                          external_owner_id=by.id,
                          cancelled_at=utcnow() if row.cancelled else None)
            session.add(shift)
            result.created += 1
            record(session, by, "shift.create", row.worker, f"{source}:{row.external_id}")
        elif (shift.worker_id, shift.starts_at, shift.ends_at, shift.note, shift.cancelled_at is not None) == (
                row.worker.id, row.starts_at, row.ends_at, note, row.cancelled):
            result.unchanged += 1
        else:
            was_cancelled = shift.cancelled_at is not None
            if shift.worker_id != row.worker.id:
                # Given to someone else: the first worker is told it is off; for the new one it
                # is a new shift (new shifts send no notice).
                if not was_cancelled:
                    _notify(session, shift, "shift_cancelled")
                shift.worker_id, shift.workplace_id = row.worker.id, row.worker.workplace_id
            elif row.cancelled and not was_cancelled:
                changed.append((shift, "shift_cancelled"))
            elif not row.cancelled:
                changed.append((shift, "shift_changed"))
            shift.starts_at, shift.ends_at, shift.note = row.starts_at, row.ends_at, note
            shift.changed_at = utcnow()
            shift.cancelled_at = (shift.cancelled_at or utcnow()) if row.cancelled else None
            shift.external_owner_id = by.id  # taken over (services/roster_keys.py)
            result.updated += 1
            record(session, by, "shift.update", row.worker, f"{source}:{row.external_id}")
        result.shifts.append((row.external_id, shift))
    try:
        session.flush()
    except IntegrityError:
        # Another upload of the same new shifts got there first (unique owner, source and id). The
        # request's error answer rolls the whole upload back.
        raise Conflict(_l("Vaktlisten ble sendt to ganger samtidig. Send den en gang til.")) from None
    for shift, kind in changed:
        _notify(session, shift, kind)
    session.flush()
    return result


def _check_roster_overlaps(session: Session, source: str, spans: dict, replaced: set[int]) -> None:
    """No two live shifts of a worker at once: within the roster, and against shifts the roster
    doesn't replace (the ids of the shifts its rows update, whoever had them). One query."""
    if not spans:
        return
    first = min(s for rows in spans.values() for s, *_ in rows)
    last = max(e for rows in spans.values() for _, e, *_ in rows)
    others: dict[int, list[tuple[datetime, datetime, int]]] = {}
    for worker_id, start, end, shift_id in session.execute(
            select(Shift.worker_id, Shift.starts_at, Shift.ends_at, Shift.id)
            .where(Shift.worker_id.in_(spans), Shift.cancelled_at.is_(None),
                   Shift.starts_at < last, Shift.ends_at > first)):
        others.setdefault(worker_id, []).append((start, end, shift_id))
    for worker_id, rows in spans.items():
        kept = [(s, e) for s, e, shift_id in others.get(worker_id, []) if shift_id not in replaced]
        ordered = sorted(rows)
        for (start, end, i, _), later in zip(ordered, ordered[1:] + [None], strict=True):
            if later is not None and later[0] < end:
                raise _overlap(later[0], f"/shifts/{later[2]}/starts_at")
            for other_start, other_end in kept:
                if start < other_end and other_start < end:
                    raise _overlap(other_start, f"/shifts/{i}/starts_at")
