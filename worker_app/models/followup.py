"""Following a worker and the employer over the years: meetings, the support plan, the trial
period (arbeidspraksis). Nothing here is private from the worker: every row is in "Se alt som er
lagret om deg", and a meeting's note is shown to the worker when it is marked as shared."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User, Workplace
from .types import UTCDateTime, utcnow


class MeetingWith(StrEnum):
    WORKER = "worker"
    EMPLOYER = "employer"
    BOTH = "both"


class MeetingPlace(StrEnum):
    WORK = "work"  # på jobben
    OFFICE = "office"  # på kontoret
    PHONE = "phone"  # on the phone


class Meeting(db.Model):
    """A follow-up meeting held, what was agreed, and when the next one is."""

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    with_whom: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    shared: Mapped[bool] = mapped_column(Boolean, default=True)
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_place: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    by: Mapped[User | None] = relationship(foreign_keys=[by_id])


class SupportPlan(db.Model):
    """How often the specialist means to visit, now and later ("1 gang i måneden fra oktober")."""

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    visits_now: Mapped[str] = mapped_column(String(200), default="")
    visits_next: Mapped[str] = mapped_column(String(200), default="")
    next_from: Mapped[str] = mapped_column(String(60), default="")  # e.g. "fra oktober"
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TrialOutcome(StrEnum):
    PERMANENT = "permanent"  # fast ansatt
    LONGER = "longer"  # lengre praksis
    ENDED = "ended"  # avsluttet


class TrialPeriod(db.Model):
    """A work trial (arbeidspraksis) at a workplace: a phase of the worker's job."""

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    workplace_id: Mapped[int | None] = mapped_column(ForeignKey("workplace.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    weeks: Mapped[int] = mapped_column(Integer, default=4)
    evaluation_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(12))
    outcome_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workplace: Mapped[Workplace | None] = relationship()

    @property
    def ends_on(self) -> date:
        """The trial's last day."""
        return self.last_day(self.starts_on, self.weeks)

    @staticmethod
    def last_day(starts_on: date, weeks: int) -> date:
        return starts_on + timedelta(weeks=weeks) - timedelta(days=1)
