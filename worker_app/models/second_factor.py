"""A staff member's second factor: passkeys (WebAuthn), a TOTP code app, and recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class Passkey(db.Model):
    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The authenticator's credential id (base64url), unique across everyone: a sign-in names it.
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    transports: Mapped[str] = mapped_column(String(120), default="")
    # "multi_device" passkeys may be synced to other devices (backup eligible).
    backup_eligible: Mapped[bool] = mapped_column(Boolean, default=False)
    backed_up: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TotpFactor(db.Model):
    """One code app per person. The secret is kept encrypted (AES-GCM, key from SECRET_KEY)
    and shown only until the first code confirms it."""

    __tablename__ = "totp_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    secret_encrypted: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second step of the last code taken: that code, and any older one, is not taken again.
    last_step: Mapped[int] = mapped_column(Integer, default=0)


class RecoveryCode(db.Model):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # SHA-256 of a code with 50 random bits: a hash that can't be guessed back.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
