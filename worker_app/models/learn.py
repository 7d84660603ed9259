"""A worker's way through the lessons; the lessons themselves are content files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class LessonProgress(db.Model):
    __table_args__ = (UniqueConstraint("worker_id", "lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    lesson: Mapped[str] = mapped_column(String(80))  # the lesson's folder name
    state: Mapped[str] = mapped_column(String(10), default="new")  # new, started, done
    # Every answer tried, per question number: {"1": [2, 0]}. Wrong tries are for learning.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    together_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    together_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
