"""Guests by invitation: people not (yet) in the programme sign up to an event with a name and
a phone number, on a link the organizer shares. Their data is deleted once the event is over.

Sign-ups change under the event's row lock, as workers' do (events._lock).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import CANCELLED, GOING, WAITING, Event, GuestEcho, Signup
from ..models.types import utcnow
from .errors import Invalid, NotFound
from .events import _lock, _lock_open_event, leave
from .parsing import small_int

PHONE = re.compile(r"^(\+47)?[2-9]\d{7}$")
GUEST_DATA_KEPT = timedelta(days=1)  # after the event ends


def invite_token(secret_key: str, event: Event) -> str:
    message = f"event-invite:{event.id}:{event.invite_version}".encode()
    return f"{event.id}-" + hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def event_for_invite(session: Session, secret_key: str, token: str) -> Event:
    event_id = small_int((token or "").partition("-")[0])
    event = session.get(Event, event_id) if event_id is not None else None
    if event is None or not hmac.compare_digest(invite_token(secret_key, event), token):
        raise NotFound()
    return event


def guest_join(session: Session, event_id: int, *, name: str, phone: str,
               consent: bool) -> tuple[Signup | GuestEcho, str]:
    """A guest signs up with a name and a phone number only. Returns the sign-up and the secret
    that lets this browser see and cancel it later (only its hash is stored).

    The answer is the same whether or not the number is already signed up, so the form can't be
    used to find out who is coming. A known number gets no second place: its browser gets a
    GuestEcho, told what a new guest would have been told, and the real sign-up stays as it is.
    """
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 120:
        raise Invalid(_l("Skriv navnet ditt."), field="name")
    digits = re.sub(r"[\s-]", "", phone or "")
    if not PHONE.match(digits):
        raise Invalid(_l("Skriv et norsk mobil-nummer med 8 sifre, for eksempel 912 34 567."),
                      field="phone")
    if not consent:
        raise Invalid(_l("Du må si ja til at vi lagrer navnet og nummeret ditt."), field="consent")
    event, now = _lock_open_event(session, event_id)
    # One query for the three things the answer depends on, known number or not.
    guests, going, known = session.execute(select(
        func.count().filter(Signup.worker_id.is_(None), Signup.state.in_((GOING, WAITING))),
        func.count().filter(Signup.state == GOING),
        func.count().filter(Signup.guest_phone.in_(_spellings(digits)), Signup.state.in_((GOING, WAITING))),
    ).where(Signup.event_id == event.id)).one()
    if guests >= event.guest_limit:
        raise GuestsFull(_l("Det er ikke plass til flere gjester."), field="event")
    secret = secrets.token_urlsafe(24)
    secret_hash = hashlib.sha256(secret.encode()).hexdigest()
    state = GOING if event.capacity is None or going < event.capacity else WAITING
    if known:
        answer: Signup | GuestEcho = GuestEcho(event_id=event.id, guest_name=name,
                                               secret_hash=secret_hash, state=state)
    else:
        answer = Signup(event_id=event.id, guest_name=name, guest_phone=digits, consent_at=now,
                        guest_secret_hash=secret_hash, state=state, queued_at=now)
    session.add(answer)
    session.flush()
    return answer, secret


def _spellings(digits: str) -> tuple[str, str]:
    """A Norwegian mobile number with and without +47: the same person either way."""
    local = digits.removeprefix("+47")
    return local, "+47" + local


class GuestsFull(Invalid):
    """The event's guest places are taken (Event.guest_limit)."""


def guests_full(session: Session, event: Event) -> bool:
    """Whether the invitation page can still take a guest."""
    guests = session.scalar(select(func.count()).where(
        Signup.event_id == event.id, Signup.worker_id.is_(None),
        Signup.state.in_((GOING, WAITING)))) or 0
    return guests >= event.guest_limit


def guest_signup(session: Session, event: Event, secret: str | None) -> Signup | GuestEcho | None:
    """The sign-up this browser made, by the secret in its cookie (a GuestEcho for a number that
    was already signed up)."""
    if not secret:
        return None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    return session.scalar(select(Signup).where(
        Signup.event_id == event.id, Signup.guest_secret_hash == digest)) or session.scalar(
        select(GuestEcho).where(GuestEcho.event_id == event.id, GuestEcho.secret_hash == digest))


def guest_leave(session: Session, event: Event, mine: Signup | GuestEcho) -> None:
    """The guest's "Jeg kan ikke komme"; an echo is only told it is done, like a real one."""
    if isinstance(mine, GuestEcho):
        _lock(session, event.id)
        if event.starts_at <= utcnow():
            raise Invalid(_l("Aktiviteten har allerede startet."), field="event")
        mine.state = CANCELLED
        session.flush()
        return
    leave(session, event.id, mine.id, by=None)


def purge_guests(session: Session, now: datetime) -> int:
    """Delete guests' names and numbers once their event is over."""
    ended = select(Event.id).where(Event.ends_at < now - GUEST_DATA_KEPT)
    deleted = session.execute(delete(Signup).where(
        Signup.worker_id.is_(None), Signup.event_id.in_(ended)))
    session.execute(delete(GuestEcho).where(GuestEcho.event_id.in_(ended)))
    session.flush()
    return deleted.rowcount
