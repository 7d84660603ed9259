"""The safety number and its text, set by an admin."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import SiteSettings, User
from ..models.site import SITE_SETTINGS_ID, Safety
from ..models.types import utcnow
from .audit import record
from .errors import Invalid

PHONE = re.compile(r"^\+?[0-9 ]{3,20}$")


def settings(session: Session, default_number: str) -> SiteSettings:
    """The one settings row, or (until an admin saves one) the configured default, not stored:
    every page reads this, and reading writes nothing."""
    return or_default(session.get(SiteSettings, SITE_SETTINGS_ID), default_number)


def or_default(row: SiteSettings | None, default_number: str) -> SiteSettings:
    """The row as read, or the default (the admin's form starts from it)."""
    return row or SiteSettings(id=SITE_SETTINGS_ID, safety_number=default_number, safety_text_nb="",
                               safety_text_nn="", safety_text_en="")


def safety(session: Session, default_number: str) -> Safety:
    """The safety number and its words for a page that has no session to read them with."""
    return safety_or_default(session.execute(
        select(*SiteSettings.safety_columns()).where(SiteSettings.id == SITE_SETTINGS_ID)).first(), default_number)


def safety_or_default(columns, default_number: str) -> Safety:
    """Safety from the row's columns (None, or all None from an outer join, when no admin has
    saved one), else the configured number."""
    return Safety(*columns) if columns and columns[0] is not None else Safety(default_number, "", "", "")


def tel_href(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def readable_number(number: str) -> str:
    """A phone number as people read it: "+4780012345" -> "800 12 345" (no country code for a
    Norwegian number; 3-2-3 for mobile and 800 numbers, 2-2-2-2 for the rest)."""
    digits = re.sub(r"[^0-9]", "", number)
    if number.strip().startswith("+47") or (number.strip().startswith("0047")):
        digits = digits[2:] if number.strip().startswith("+") else digits[4:]
    elif number.strip().startswith("+"):
        return number.strip()  # a foreign number: keep it as written
    if len(digits) != 8:
        return number.strip()
    if digits[0] in "489":
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return " ".join(digits[i:i + 2] for i in range(0, 8, 2))


def update_safety(session: Session, default_number: str, *, number: str,
                  texts: dict[str, str], by: User | None = None) -> SiteSettings:
    """Change the safety number or its words: a security event (every worker's call goes to
    this number), so the old and new number are on record."""
    number = number.strip()
    if not PHONE.match(number):
        raise Invalid(_l("Skriv et telefonnummer med sifre, for eksempel +47 800 12 345."),
                      field="safety_number")
    row = settings(session, default_number)
    session.add(row)
    if row.safety_number != number:
        record(session, by, "safety.number", None, f"{row.safety_number} -> {number}")
    else:
        record(session, by, "safety.text", None, number)
    row.safety_number = number
    for locale, text in texts.items():
        setattr(row, f"safety_text_{locale}", text.strip())
    row.updated_at = utcnow()
    session.flush()
    return row
