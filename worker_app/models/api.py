"""API tokens: made by staff for an integration, acting with the owner's rights and no more."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import User
from .types import UTCDateTime, utcnow


class Scope(StrEnum):
    SHIFTS_READ = "shifts:read"
    SHIFTS_WRITE = "shifts:write"
    CHECKLISTS_READ = "checklists:read"
    CHECKLISTS_WRITE = "checklists:write"
    EVENTS_READ = "events:read"
    LESSONS_READ = "lessons:read"
    PEOPLE_READ = "people:read"
    HELP_READ = "help:read"
    HELP_WRITE = "help:write"
    FOLLOWUP_READ = "followup:read"
    FOLLOWUP_WRITE = "followup:write"


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 of the secret: the secret itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters of the secret, so a person can tell their tokens apart.
    hint: Mapped[str] = mapped_column(String(12))
    scopes: Mapped[str] = mapped_column(String(300))  # space-separated Scope values
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    owner: Mapped[User] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())
