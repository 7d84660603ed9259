"""Oslo wall-clock time: shifts are stored in UTC and entered and shown as Oslo time. Parsing
what a person typed (a day, a time, a note) and checking a shift's span."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..limits import NOTE_MAX

OSLO = ZoneInfo("Europe/Oslo")
MAX_SHIFT_HOURS = 16
# No shift is longer (check_span refuses it on every way in), so a shift that ends after a moment
# started at most this long before it: saying so lets the (worker, starts_at) index begin there,
# not at the worker's first shift years ago.
LONGEST_SHIFT = timedelta(hours=MAX_SHIFT_HOURS)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_time(value: str, field: str) -> time:
    match = _HHMM.match((value or "").strip())
    if not match:
        raise Invalid(_l("Skriv klokkeslettet som TT:MM, for eksempel 09:00."), field=field)
    return time(int(match.group(1)), int(match.group(2)))


def parse_date(value: str, field: str) -> date:
    try:
        day = date.fromisoformat((value or "").strip())
        if not 2000 <= day.year <= 2100:
            raise ValueError("out of range")
        return day
    except ValueError:
        raise Invalid(_l("Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-12-04."),
                      field=field) from None


def at_oslo(day: date, clock: time) -> datetime:
    """The UTC instant of an Oslo wall-clock time on a day (DST-aware)."""
    return datetime.combine(day, clock, tzinfo=OSLO).astimezone(UTC)


def oslo(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)


def span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    if end <= start:
        raise Invalid(_l("Slutten må være etter starten."), field="end")
    return check_span(at_oslo(day, start), at_oslo(day, end), field="end")


def clean_note(note: str, field: str = "note") -> str:
    """A note to the worker, as written; too long is refused, never cut."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise Invalid(_l("Skriv kortere, høyst %(n)s tegn.", n=NOTE_MAX), field=field)
    return note


def check_span(starts_at: datetime, ends_at: datetime, field: str = "ends_at") -> tuple[datetime, datetime]:
    """A shift's start and end as UTC instants: the end after the start, at most 16 hours on."""
    starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    if ends_at <= starts_at:
        raise Invalid(_l("Slutten må være etter starten."), field=field)
    if ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        raise Invalid(_l("En vakt kan vare høyst 16 timer."), field=field)
    return starts_at, ends_at
