"""Server-side sessions: the signed cookie carries only a random id; this row says whether the
session still counts, so "Logg ut" ends it for every copy of the cookie."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class UserSession(db.Model):
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # SHA-256 of the random id in the cookie: a copy of the database opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff with a second factor: the password alone opens only a half session, which no page
    # but the second step accepts, until second_factor_at is set.
    second_factor_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    second_factor_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A WebAuthn challenge: single use, bound to this session, with an expiry.
    challenge: Mapped[str | None] = mapped_column(String(100))
    challenge_kind: Mapped[str | None] = mapped_column(String(20))
    challenge_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
