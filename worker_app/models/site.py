"""Settings an admin changes in the app."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

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

    @classmethod
    def safety_columns(cls) -> tuple:
        """What every page shows of this row, in the order of Safety's fields."""
        return cls.safety_number, cls.safety_text_nb, cls.safety_text_nn, cls.safety_text_en


class Safety(NamedTuple):
    """The safety number and the admin's words about it, as every page shows them: read as
    columns with the session (web.signin), not as the row's object."""

    number: str
    text_nb: str
    text_nn: str
    text_en: str

    def text(self, locale: str) -> str:
        return getattr(self, f"text_{locale}", "") or self.text_nb
