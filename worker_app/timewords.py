"""Times and durations said the easy-read way: digits, the weekday and month in words."""

from datetime import datetime

from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _

from .services.schedule import oslo


def day_words(moment) -> str:
    """'onsdag 25. november' (nb), 'Wednesday 25 November' (en)."""
    return format_date(moment, "EEEE d. MMMM") if _is_norwegian() else format_date(moment, "EEEE d MMMM")


def clock(moment: datetime) -> str:
    """'09:00' in Oslo time."""
    return format_time(moment, "HH:mm")


def span(start: datetime, end: datetime) -> str:
    """'kl. 09:00–12:00'."""
    return _("kl. %(start)s–%(end)s", start=clock(start), end=clock(end))


def duration(minutes: int) -> str:
    """'1 time og 20 minutter', '45 minutter', '2 timer'."""
    hours, mins = divmod(max(0, minutes), 60)
    hour_part = ngettext("%(num)s time", "%(num)s timer", hours) if hours else ""
    minute_part = ngettext("%(num)s minutt", "%(num)s minutter", mins) if mins or not hours else ""
    if hour_part and minute_part:
        return _("%(hours)s og %(minutes)s", hours=hour_part, minutes=minute_part)
    return hour_part or minute_part


def is_today(moment: datetime, now: datetime) -> bool:
    return oslo(moment).date() == oslo(now).date()


def _is_norwegian() -> bool:
    from flask_babel import get_locale

    return str(get_locale() or "nb") in ("nb", "nn")


def register(app) -> None:
    app.jinja_env.globals.update(day_words=day_words, clock=clock, span=span, duration=duration,
                                 is_today=is_today)
    app.jinja_env.filters["oslo"] = oslo
