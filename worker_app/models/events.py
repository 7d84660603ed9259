"""Social gatherings: events, and sign-ups of workers or invited guests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Region, User
from .types import UTCDateTime, utcnow

GOING, WAITING, CANCELLED = "going", "waiting", "cancelled"


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    pictogram: Mapped[str] = mapped_column(String(40), default="1F389")
    photo: Mapped[str | None] = mapped_column(String(40))  # a name in the photo store
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(160))
    meeting_point: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: room for everyone
    # Invited guests (going or waiting) at most: an invitation link passed on widely can't fill
    # the event, or the guest list, with strangers.
    guest_limit: Mapped[int] = mapped_column(Integer, default=20)
    signup_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For all workers in a region (None: every region), or only by the invitation link.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    invite_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # Raised to make a new invitation link; the link is an HMAC of it.
    invite_version: Mapped[int] = mapped_column(Integer, default=1)
    # Bumped by every sign-up change: the UPDATE is what serialises sign-ups (see services).
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    region: Mapped[Region | None] = relationship()


class Signup(db.Model):
    """A worker or a guest on an event: going, waiting (first come, first served) or cancelled."""

    __table_args__ = (Index("ix_signup_event_state", "event_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    # Guests (not yet employed, invited by link) give only a name and a phone number.
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_phone: Mapped[str | None] = mapped_column(String(30))
    guest_secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10))
    signed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person joined the queue or got the place: the waiting list is ordered by it.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    worker: Mapped[User | None] = relationship(foreign_keys=[worker_id])
    signed_up_by: Mapped[User | None] = relationship(foreign_keys=[signed_up_by_id])


class GuestEcho(db.Model):
    """The answer a browser got when it signed up a phone number that was already signed up.

    The guest form answers the same whether or not a number is known (no one can test numbers
    on it), so that browser is told what a new guest would have been told and can "cancel"; the
    real sign-up is never shown to it, never changed and never doubled. Purged with the guests.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    guest_name: Mapped[str] = mapped_column(String(120))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def worker(self):  # reads like a guest's Signup in the invitation page
        return None
