"""The weekly check-in "Hvordan har du det på jobb?": 3 short questions, each answered with a
picture and a word. The worker decides who sees the answers (services/checkin.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .types import UTCDateTime, utcnow


class CheckIn(db.Model):
    """One check-in. Each answer is 2 (Ja), 1 (Av og til) or 0 (Nei); None: not answered yet.
    Answers are words for the worker and the specialist, never a score on a screen."""

    __table_args__ = (Index("ix_check_in_worker_started", "worker_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tasks: Mapped[int | None] = mapped_column(SmallInteger)  # Liker du oppgavene?
    others: Mapped[int | None] = mapped_column(SmallInteger)  # Har du det fint med de andre på jobb?
    help: Mapped[int | None] = mapped_column(SmallInteger)  # Får du nok hjelp?
    note: Mapped[str] = mapped_column(Text, default="", server_default="")  # "Vil du si mer?"
    # "Ring meg": the help request it made for the specialist (services/help.py).
    call_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id"))

    worker: Mapped[User] = relationship()
