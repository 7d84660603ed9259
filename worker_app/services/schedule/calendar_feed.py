"""The calendar feed: a secret iCalendar address per worker, with the shifts and joined events,
and alarms at the worker's own reminder minutes."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Shift, User
from ..parsing import small_int
from .oslo_time import LONGEST_SHIFT


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
               Shift.ends_at > now - timedelta(days=30), Shift.starts_at < now + timedelta(days=366),
               Shift.starts_at > now - timedelta(days=30) - LONGEST_SHIFT)
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

    from .. import reminders

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

    from ...models import GOING, Signup
    from ...models import Event as Gathering

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
    from .. import reminders

    return reminders.is_on(worker, "event_tomorrow")
