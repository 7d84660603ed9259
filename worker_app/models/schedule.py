"""Shifts: a repeat rule makes shift rows; a moved or cancelled occurrence stays its own row."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .events import Event
from .people import User, Workplace
from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .tasks import Assignment


class ShiftRule(db.Model):
    """E.g. every Friday 09:00–12:00 from a date until a date (at most one year)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    workplace_id: Mapped[int | None] = mapped_column(ForeignKey("workplace.id"))
    # ISO weekdays as digits, Monday = 0: "4" is every Friday, "012" Monday to Wednesday.
    weekdays: Mapped[str] = mapped_column(String(7))
    # Local Oslo wall-clock times, "HH:MM": a rule keeps its local time across DST changes.
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
    # Public holidays (Norway's) are skipped unless the specialist ticks "also on public holidays".
    on_holidays: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workplace: Mapped[Workplace | None] = relationship()


class Shift(db.Model):
    __table_args__ = (
        Index("ix_shift_worker_starts", "worker_id", "starts_at"),
        # An employer's roster names its shifts by its own ids: one row per (owner, source,
        # id), so one sender can neither block another's ids nor learn that they exist.
        UniqueConstraint("external_owner_id", "external_source", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    workplace_id: Mapped[int | None] = mapped_column(ForeignKey("workplace.id"))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("shift_rule.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the shift is moved or its note changes after it was made: shown as "Endret".
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set for shifts sent through the API's roster upload.
    external_source: Mapped[str | None] = mapped_column(String(60))
    external_id: Mapped[str | None] = mapped_column(String(100))
    # Whose roster key it is: the person whose token sent it (see services/roster_keys.py).
    external_owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    workplace: Mapped[Workplace | None] = relationship()


class Notice(db.Model):
    """Something changed for someone: a shift moved or cancelled, a place on an event, an event
    cancelled. Shown on their start page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(30))
    shift_id: Mapped[int | None] = mapped_column(ForeignKey("shift.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id"))
    # A repeat rule changed or ended: one notice for the whole rule, not one per shift.
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("shift_rule.id"))
    # A checklist taken back ("task_withdrawn"): which one, for its title.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    shift: Mapped[Shift | None] = relationship()
    event: Mapped[Event | None] = relationship()
    rule: Mapped[ShiftRule | None] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
