"""Task checklists: a specialist's library, frozen versions, assignments, and runs."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User, Workplace
from .types import UTCDateTime, utcnow


class Checklist(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    pictogram: Mapped[str] = mapped_column(String(40), default="1F4CB")
    workplace_id: Mapped[int | None] = mapped_column(ForeignKey("workplace.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workplace: Mapped[Workplace | None] = relationship()
    versions: Mapped[list[ChecklistVersion]] = relationship(
        back_populates="checklist", order_by="ChecklistVersion.number")


class ChecklistVersion(db.Model):
    """The steps as they were when pushed. A pushed version never changes; editing makes a
    new draft, so a run under way always has the steps it started with."""

    __table_args__ = (UniqueConstraint("checklist_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklist.id"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    checklist: Mapped[Checklist] = relationship(back_populates="versions")
    steps: Mapped[list[ChecklistStep]] = relationship(
        back_populates="version", order_by="ChecklistStep.position", cascade="all, delete-orphan")


def _new_key() -> str:
    return uuid.uuid4().hex


class ChecklistStep(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # The same step in every version of its checklist: support levels follow it.
    key: Mapped[str] = mapped_column(String(32), default=_new_key, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("checklist_version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    pictogram: Mapped[str] = mapped_column(String(40), default="1F4CB")
    hint: Mapped[str] = mapped_column(String(300), default="")
    photo: Mapped[str | None] = mapped_column(String(40))

    version: Mapped[ChecklistVersion] = relationship(back_populates="steps")


class Assignment(db.Model):
    """A version pushed to a worker: once on a date, or on chosen weekdays."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("checklist_version.id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    pushed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    on_date: Mapped[date | None] = mapped_column(Date)  # once, on this day
    weekdays: Mapped[str] = mapped_column(String(7), default="")  # or repeating: "04" = Mon, Fri
    every_shift: Mapped[bool] = mapped_column(Boolean, default=False)  # or on each day with a shift
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # "Ny" until opened
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    version: Mapped[ChecklistVersion] = relationship()
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])


class Run(db.Model):
    """One time through a checklist: one per assignment and day."""

    __table_args__ = (UniqueConstraint("assignment_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id"))
    day: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship()


class StepDone(db.Model):
    """A ticked step. Unique per run and step: ticking twice, or on two phones, counts once."""

    __table_args__ = (UniqueConstraint("run_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("checklist_step.id"))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


FULL, SHORT, MASTERED = "full", "short", "mastered"


class StepSupport(db.Model):
    """How much help a worker gets on a step: full (photo, pictogram, text, hint), short (text
    and a small picture), or mastered (not shown; summed up as "Dette kan du")."""

    __table_args__ = (UniqueConstraint("worker_id", "step_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    step_key: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(10), default=FULL)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MasteryClaim(db.Model):
    """The worker pressed "Jeg kan dette nå"; the specialist confirms it, or not yet."""

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("checklist_step.id"))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed: Mapped[bool | None] = mapped_column(Boolean)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    step: Mapped[ChecklistStep] = relationship()
