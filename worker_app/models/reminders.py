"""Reminders the app sends, the devices it sends them to, and "Jeg har gått"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .schedule import Shift
from .types import UTCDateTime, utcnow

# Reminder states. A reminder is claimed ("sending") by exactly one sender before anything is
# sent, so a crash mid-send leaves it claimed, never sent twice.
QUEUED, SENDING, SENT, SKIPPED, FAILED = "queued", "sending", "sent", "skipped", "failed"


class Reminder(db.Model):
    """One moment to tell one person about: recorded once, sent at most once.

    `key` names the moment ("leave_home:shift 7:2026-03-30T06:25"), so a second sender, or a
    second run over the same minute, finds it already there.
    """

    __table_args__ = (
        Index("ix_reminder_state_due", "state", "due_at"),
        Index("ix_reminder_user_sent", "user_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    # Whom it is about: the worker (the same as user_id for the worker's own reminders).
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(30))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    # Why it was skipped or failed, or where it went: "off", "quiet", "budget", "moved", ...
    outcome: Mapped[str] = mapped_column(String(40), default="")
    claim: Mapped[str | None] = mapped_column(String(32))
    tries: Mapped[int] = mapped_column(Integer, default=0)
    # Devices it reached; the daily budget counts reminders that reached one.
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    shift: Mapped[Shift | None] = relationship()


class PushSubscription(db.Model):
    """One device's Web Push subscription (its push service address and keys)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    endpoint: Mapped[str] = mapped_column(Text)
    endpoint_hash: Mapped[str] = mapped_column(String(64), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    # The remembered device it was made on, so signing that device out removes it.
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The push service asked us to wait (429, 5xx): nothing goes to it before this.
    wait_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)

    user: Mapped[User] = relationship()


class LeftHome(db.Model):
    """ "Jeg har gått" or "Jeg blir sen" for one shift; a second tap changes nothing."""

    __table_args__ = (UniqueConstraint("shift_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"))
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "today" (the I dag button) or "push" (the notification's button).
    via: Mapped[str] = mapped_column(String(10), default="today")

    shift: Mapped[Shift] = relationship()
