"""Settings an admin changes in the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

SITE_SETTINGS_ID = 1  # the one row


class SiteSettings(db.Model):
    """One row: the safety number and the admin's own words about it, per language."""

    id: Mapped[int] = mapped_column(primary_key=True)
    safety_number: Mapped[str] = mapped_column(String(40))
    safety_text_nb: Mapped[str] = mapped_column(Text, default="")
    safety_text_nn: Mapped[str] = mapped_column(Text, default="")
    safety_text_en: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def safety_text(self, locale: str) -> str:
        return getattr(self, f"safety_text_{locale}", "") or self.safety_text_nb
