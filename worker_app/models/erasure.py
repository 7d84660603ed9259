"""Erasure: a worker's request that everything about them is deleted, and the record that an
erasure was done (who, when, which kinds of data, how many rows)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .types import UTCDateTime, utcnow

ASKED, ANSWERED, DONE = "asked", "answered", "done"


class Erasure(db.Model):
    """One row per request or erasure. The person's row stays as "Slettet person" so that this
    record, the audit log and the checklists the person wrote still point at someone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # asked: the worker asked and waits; answered: an admin answered without erasing; done.
    state: Mapped[str] = mapped_column(String(10), default=ASKED, index=True)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: an admin's own erasure
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rows deleted or made anonymous, per kind: {"shifts": 12, "help_requests": 3, ...}.
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[User] = relationship(foreign_keys=[person_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])
