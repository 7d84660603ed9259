"""Times and durations said the easy-read way: digits, the weekday and month in words."""

import math
from datetime import UTC, date, datetime
from functools import cache

from babel import Locale
from flask_babel import get_locale

from .i18n import gettext as _
from .i18n import ngettext
from .services.schedule import oslo

# Vakter says a day and a time dozens of times a page. Babel's formatting parses the pattern and
# looks the locale up on every call, which was a fifth of the page's time; the same words come
# from the locale's names, read once (a test checks they match Babel's for every day of a year).


@cache
def _names(locale: str) -> tuple[dict, dict]:
    parsed = Locale.parse(locale)
    return parsed.days["format"]["wide"], parsed.months["format"]["wide"]


def _local(moment):
    """Oslo wall-clock time; a naive datetime is UTC, as Babel takes it."""
    if isinstance(moment, datetime):
        return oslo(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return moment


def day_words(moment: datetime | date) -> str:
    """'onsdag 25. november' (nb), 'Wednesday 25 November' (en)."""
    locale = str(get_locale() or "nb")
    days, months = _names(locale)
    local = _local(moment)
    dot = "." if locale in ("nb", "nn") else ""
    return f"{days[local.weekday()]} {local.day}{dot} {months[local.month]}"


def clock(moment: datetime) -> str:
    """'09:00' in Oslo time."""
    return _local(moment).strftime("%H:%M")


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


def part_of_day(moment: datetime, now: datetime) -> str:
    """Words for when, so that 21:00 is not read as 9 in the morning: 'i kveld', 'i morgen
    tidlig'; further away, the weekday and date."""
    local, today = oslo(moment), oslo(now).date()
    days = (local.date() - today).days
    hour = local.hour
    if days == 0:
        if hour < 5:
            return _("i natt")
        if hour < 10:
            return _("i dag tidlig")
        if hour < 18:
            return _("i dag")
        return _("i kveld")
    if days == 1:
        if hour < 5:
            return _("i natt")
        if hour < 10:
            return _("i morgen tidlig")
        if hour < 18:
            return _("i morgen")
        return _("i morgen kveld")
    return day_words(moment)


def wedge_path(minutes: int, radius: float = 40) -> str:
    """The SVG path of a time-timer's wedge for the minutes left (a full circle is an hour) on
    a 100×100 face; '' when nothing is left, 'full' for an hour or more."""
    part = min(max(minutes, 0), 60) / 60
    if part <= 0:
        return ""
    if part >= 1:
        return "full"
    angle = part * 2 * math.pi
    x, y = 50 + radius * math.sin(angle), 50 - radius * math.cos(angle)
    large = 1 if part > 0.5 else 0
    return f"M50 50 L50 {50 - radius:g} A{radius:g} {radius:g} 0 {large} 1 {x:.2f} {y:.2f} Z"


def is_today(moment: datetime, now: datetime) -> bool:
    return oslo(moment).date() == oslo(now).date()


def holidays_left_free(days) -> str:
    """The public holidays a repeat rule leaves free, in words for the specialist: empty if none."""
    if not days:
        return ""
    return _("Ingen vakt på helligdagene: %(days)s.", days=", ".join(day_words(d) for d in days))


def rule_notice_words(notice, own: bool = True) -> str:
    """A notice (a row of schedule.unread_notices) about a whole repeat rule, easy-read:
    'Vaktene dine på fredag er endret.' (own), or for a support person 'Vaktene på fredag er
    endret.'"""
    from datetime import timedelta

    days, _months = _names(str(get_locale() or "nb"))
    names = [days[int(d)] for d in notice.rule_weekdays]
    joined = names[0] if len(names) == 1 else _("%(first)s og %(last)s", first=", ".join(names[:-1]), last=names[-1])
    if notice.kind == "rule_ended":
        day = day_words(notice.rule_ends_on + timedelta(days=1))
        if own:
            return _("Vaktene dine på %(days)s er slutt fra %(day)s.", days=joined, day=day)
        return _("Vaktene på %(days)s er slutt fra %(day)s.", days=joined, day=day)
    if own:
        return _("Vaktene dine på %(days)s er endret. Se Vakter.", days=joined)
    return _("Vaktene på %(days)s er endret.", days=joined)


def register(app) -> None:
    app.jinja_env.globals.update(holidays_left_free=holidays_left_free, rule_notice_words=rule_notice_words,
                                 day_words=day_words, clock=clock, span=span, duration=duration,
                                 is_today=is_today, part_of_day=part_of_day,
                                 wedge_path=wedge_path)
    app.jinja_env.filters["oslo"] = oslo
