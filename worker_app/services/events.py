"""Events: who may see them, signing up and off, the waiting list (guests: services/guests.py).

Sign-ups change under a lock on the event row (locking.lock_row: a row lock on PostgreSQL, the
write lock on SQLite). So the capacity is never exceeded and the waiting list keeps first-come
order, however many press at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from ..models import (
    CANCELLED,
    GOING,
    WAITING,
    Event,
    Notice,
    Signup,
    User,
)
from ..models.types import utcnow
from ..policy import managed_events, visible_events
from . import one_row, reminders
from .audit import record, record_each
from .errors import Invalid, NotFound
from .locking import lock_row
from .one_row import OneRow
from .paging import Key, Page, keyset
from .parsing import small_int
from .schedule import at_oslo, parse_date, parse_time

GUEST_LIMIT, MAX_GUEST_LIMIT = 20, 1000  # invited guests per event: the default, the most


# Events a worker sees (the rule is the policy's: visible_events) ----------------------------


@dataclass
class EventView:
    event: Event
    going: int
    signup: Signup | None = None
    position: int | None = None  # place on the waiting list, from 1

    @property
    def full(self) -> bool:
        return self.event.capacity is not None and self.going >= self.event.capacity


@dataclass
class Attendees:
    going: list[Signup] = field(default_factory=list)
    waiting: list[Signup] = field(default_factory=list)
    cancelled: list[Signup] = field(default_factory=list)


def coming_for(session: Session, worker: User, now: datetime, limit: int = 50) -> list[EventView]:
    """Coming events the worker may see, with their own sign-up and place in the queue.
    Three queries, whatever the number of events and sign-ups."""
    events = list(session.scalars(
        select(Event).where(Event.ends_at > now, visible_events(worker))
        .order_by(Event.starts_at).limit(limit)))
    return _views(session, events, worker)


def view_of(session: Session, worker: User, event_id: int) -> EventView:
    event = session.scalar(select(Event).where(Event.id == event_id, visible_events(worker)))
    if event is None:
        raise NotFound()
    return _views(session, [event], worker)[0]


def _views(session: Session, events: list[Event], worker: User) -> list[EventView]:
    ids = [e.id for e in events]
    if not ids:
        return []
    going = dict(session.execute(
        select(Signup.event_id, func.count()).where(Signup.event_id.in_(ids), Signup.state == GOING)
        .group_by(Signup.event_id)).all())
    place = func.row_number().over(partition_by=Signup.event_id,
                                   order_by=(Signup.queued_at, Signup.id))
    queue = select(Signup.id, place.label("place")).where(
        Signup.event_id.in_(ids), Signup.state == WAITING).subquery()
    mine = {s.event_id: (s, p) for s, p in session.execute(
        select(Signup, queue.c.place).outerjoin(queue, queue.c.id == Signup.id)
        .where(Signup.event_id.in_(ids), Signup.worker_id == worker.id)).all()}
    views = []
    for event in events:
        signup, position = mine.get(event.id, (None, None))
        views.append(EventView(event, going.get(event.id, 0), signup,
                               position if signup and signup.state == WAITING else None))
    return views


class NextEvent(NamedTuple):
    id: int
    title: str
    pictogram: str
    starts_at: datetime
    ends_at: datetime


@cache
def _next_going_query():
    # Built once: I dag asks it on every visit (see auth._session_user_query).
    return (select(Event.id, Event.title, Event.pictogram, Event.starts_at, Event.ends_at)
            .join(Signup, Signup.event_id == Event.id)
            .where(Signup.worker_id == bindparam("worker_id"), Signup.state == GOING,
                   Event.ends_at > bindparam("now"), Event.cancelled_at.is_(None))
            .order_by(Event.starts_at).limit(1))


def next_going(session: Session, worker: User, now: datetime) -> NextEvent | None:
    """The next event the worker is going to, for I dag: the row I dag shows, not the event
    with all its columns."""
    return one_row.read(session, next_going_read(worker, now))


def next_going_read(worker: User, now: datetime) -> OneRow:
    """next_going as a read I dag runs together with its other one-row reads."""
    return OneRow(_next_going_query(), {"worker_id": worker.id, "now": now},
                  lambda row: NextEvent(*row) if row else None)


# Signing up and off -------------------------------------------------------------------------


def _lock(session: Session, event_id: int) -> Event:
    return lock_row(session, Event, event_id, version=Event.version + 1)


def _going_count(session: Session, event: Event) -> int:
    return session.scalar(select(func.count()).where(
        Signup.event_id == event.id, Signup.state == GOING)) or 0


def _open_for_signup(event: Event, now: datetime) -> None:
    if event.cancelled_at is not None:
        raise Invalid(_l("Aktiviteten er avlyst."), field="event")
    if event.starts_at <= now:
        raise Invalid(_l("Aktiviteten har allerede startet."), field="event")
    if event.signup_deadline and event.signup_deadline < now:
        raise Invalid(_l("Det er for sent å melde seg på."), field="event")


def _lock_open_event(session: Session, event_id: int) -> tuple[Event, datetime]:
    """Lock the event for a sign-up, or say kindly why it is closed."""
    event = _lock(session, event_id)
    now = utcnow()
    _open_for_signup(event, now)
    return event, now


def join(session: Session, event_id: int, worker: User, by: User) -> Signup:
    """Sign a worker up: a place if there is room, else the end of the waiting list.
    Pressing twice is the same as once."""
    event, now = _lock_open_event(session, event_id)
    signup = session.scalar(select(Signup).where(Signup.event_id == event.id,
                                                 Signup.worker_id == worker.id))
    if signup is not None and signup.state in (GOING, WAITING):
        return signup
    room = event.capacity is None or _going_count(session, event) < event.capacity
    signup = signup or Signup(event_id=event.id, worker_id=worker.id)
    signup.state, signup.queued_at, signup.signed_up_by_id = (GOING if room else WAITING), now, by.id
    session.add(signup)
    session.flush()
    return signup


def leave(session: Session, event_id: int, signup_id: int, by: User | None) -> None:
    """Sign off; a freed place goes to the first on the waiting list, who is told."""
    event = _lock(session, event_id)
    signup = session.get(Signup, signup_id)
    if signup is None or signup.event_id != event.id:
        raise NotFound()
    if event.starts_at <= utcnow():
        raise Invalid(_l("Aktiviteten har allerede startet."), field="event")
    was_going = signup.state == GOING
    signup.state, signup.signed_up_by_id = CANCELLED, by.id if by else None
    session.flush()
    if was_going:
        _promote(session, event)
        session.flush()


def _promote(session: Session, event: Event) -> None:
    """Fill free places from the waiting list, in first-come order."""
    free = None if event.capacity is None else event.capacity - _going_count(session, event)
    waiting = select(Signup).where(Signup.event_id == event.id, Signup.state == WAITING).order_by(
        Signup.queued_at, Signup.id)
    if free is not None:
        waiting = waiting.limit(max(free, 0))
    for signup in session.scalars(waiting).all():
        signup.state, signup.queued_at = GOING, utcnow()
        if signup.worker_id:
            session.add(Notice(user_id=signup.worker_id, worker_id=signup.worker_id,
                               kind="event_place", event_id=event.id))
            reminders.event_place(session, event.id, signup.worker_id)


# Organizers ---------------------------------------------------------------------------------


@dataclass
class EventInput:
    title: str
    description: str
    pictogram: str
    day: str
    start: str
    end: str
    place: str
    meeting_point: str = ""
    capacity: str = ""
    deadline: str = ""
    region_id: int | None = None
    invite_only: bool = False
    guest_limit: str = str(GUEST_LIMIT)
    photo: str | None = None  # a stored photo's name; None keeps the one the event has


def save_event(session: Session, data: EventInput, by: User, event: Event | None = None) -> Event:
    """Create or change an event. A capacity below the number going is refused."""
    day = parse_date(data.day, "day")
    starts_at, ends_at = at_oslo(day, parse_time(data.start, "start")), at_oslo(
        day, parse_time(data.end, "end"))
    if ends_at <= starts_at:
        raise Invalid(_l("Slutten må være etter starten."), field="end")
    capacity = None
    if data.capacity.strip():
        capacity = small_int(data.capacity.strip())
        if capacity is None or not 1 <= capacity <= 10000:
            raise Invalid(_l("Skriv et antall plasser, eller la feltet stå tomt."), field="capacity")
    guest_limit = small_int((data.guest_limit or "").strip())
    if guest_limit is None or not 0 <= guest_limit <= MAX_GUEST_LIMIT:
        raise Invalid(_l("Skriv et antall gjester fra 0 til %(most)s.", most=MAX_GUEST_LIMIT),
                      field="guest_limit")
    deadline = None
    if data.deadline.strip():
        deadline = at_oslo(parse_date(data.deadline, "deadline"), parse_time("23:59", "deadline"))
        if deadline > starts_at:
            raise Invalid(_l("Fristen må være før aktiviteten starter."), field="deadline")
    if event is not None:
        event = _lock(session, event.id)
        going = _going_count(session, event)
        if capacity is not None and capacity < going:
            raise Invalid(_l("%(n)s er allerede påmeldt. Plassene kan ikke bli færre enn det.",
                             n=going), field="capacity")
    event = event or Event(created_by_id=by.id)
    event.title, event.description = data.title.strip(), data.description.strip()
    event.pictogram, event.place = data.pictogram or "1F389", data.place.strip()
    event.meeting_point = data.meeting_point.strip()
    event.starts_at, event.ends_at, event.capacity = starts_at, ends_at, capacity
    event.guest_limit = guest_limit
    event.signup_deadline, event.region_id, event.invite_only = deadline, data.region_id, data.invite_only
    if data.photo:
        event.photo = data.photo
    session.add(event)
    session.flush()
    _promote(session, event)  # more places may let people in from the waiting list
    record(session, by, "event.save", None, f"{event.id} {event.title}")
    session.flush()
    return event


def cancel_event(session: Session, event_id: int, by: User) -> Event:
    event = _lock(session, event_id)
    if event.cancelled_at is None:
        event.cancelled_at = utcnow()
        for worker_id in session.scalars(select(Signup.worker_id).where(
                Signup.event_id == event.id, Signup.state.in_((GOING, WAITING)),
                Signup.worker_id.is_not(None))):
            session.add(Notice(user_id=worker_id, worker_id=worker_id, kind="event_cancelled",
                               event_id=event.id))
        record(session, by, "event.cancel", None, f"{event.id} {event.title}")
    session.flush()
    return event


def for_organizers(session: Session, organizer: User, now: datetime) -> list[tuple[Event, int, int]]:
    """Coming events the organizer manages (policy.managed_events), with the number going and
    waiting: two queries."""
    events = list(session.scalars(select(Event).where(
        Event.ends_at > now - timedelta(days=1), managed_events(organizer)).order_by(Event.starts_at)))
    counts = {(e, s): n for e, s, n in session.execute(
        select(Signup.event_id, Signup.state, func.count()).where(
            Signup.event_id.in_([e.id for e in events])).group_by(Signup.event_id, Signup.state))}
    return [(e, counts.get((e.id, GOING), 0), counts.get((e.id, WAITING), 0)) for e in events]


@dataclass
class EventCounts:
    event: Event
    going: int
    waiting: int


_EVENT_KEY = Key(Event.starts_at, Event.id, read=lambda e: (e.starts_at, e.id))


def coming_page(session: Session, now: datetime, after: tuple | None, limit: int) -> Page:
    """Events not yet over, soonest first, with the number going and waiting: two queries."""
    page = keyset(session, select(Event).where(Event.ends_at > now), _EVENT_KEY, after, limit)
    ids = [e.id for e in page.items]
    counts = {(e, s): n for e, s, n in session.execute(
        select(Signup.event_id, Signup.state, func.count()).where(Signup.event_id.in_(ids))
        .group_by(Signup.event_id, Signup.state))} if ids else {}
    page.items = [EventCounts(e, counts.get((e.id, GOING), 0), counts.get((e.id, WAITING), 0)) for e in page.items]
    return page


def attendees(session: Session, event: Event, *, seen_by: User | None = None,
              action: str = "event.attendees") -> Attendees:
    """Everyone signed up, the waiting list in order: one query. Shown to a person (`seen_by`),
    it is a read of each worker's data: one audit entry per worker on the list."""
    result = Attendees()
    for signup in session.scalars(
        select(Signup).options(joinedload(Signup.worker), joinedload(Signup.signed_up_by))
        .where(Signup.event_id == event.id).order_by(Signup.queued_at, Signup.id)
    ):
        getattr(result, signup.state).append(signup)
    if seen_by is not None:
        record_each(session, seen_by, action, [
            s.worker for s in (*result.going, *result.waiting, *result.cancelled)],
            f"{event.id} {event.title}")
    return result


def get_event(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound()
    return event
