"""An early sign on "Mine arbeidstakere" that the specialist has seen, with her note."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .types import UTCDateTime, utcnow


class SignSeen(db.Model):
    """One sign (its kind, and the date it is about) marked as seen. The sign stays hidden until
    one of the same kind with a later date appears."""

    __tablename__ = "sign_seen"
    __table_args__ = (Index("ix_sign_seen_worker_kind", "worker_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    sign_on: Mapped[date] = mapped_column(Date)
    seen_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    seen_by: Mapped[User | None] = relationship(foreign_keys=[seen_by_id])
