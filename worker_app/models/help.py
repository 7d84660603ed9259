"""Help requests from a worker to their job specialist."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .tasks import ChecklistStep
from .types import UTCDateTime, utcnow


class HelpReason(StrEnum):
    SAD = "sad"
    UNSAFE = "unsafe"
    TASK = "task"
    LATE = "late"
    SICK = "sick"
    # "Ring meg" from the check-in "Hvordan har du det på jobb?": not a tile on the help page.
    CALL_ME = "call_me"


class HelpRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    # Asked from a checklist step: the specialist sees which one.
    step_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_step.id"))
    # ...and from which assignment, so the receipt can lead back to that step.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The first time a specialist opened it: the worker's receipt says so.
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
    seen_by: Mapped[User | None] = relationship(foreign_keys=[seen_by_id])
    step: Mapped[ChecklistStep | None] = relationship()
