"""The day and time words, made from the locale's names without Babel's formatter on each call
(Vakter says them dozens of times a page): the same words as Babel's, every day of a year, in
each of the app's languages, and in Oslo time across both DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale, format_date, format_time

from worker_app.timewords import clock, day_words


@pytest.mark.parametrize("locale, pattern", [("nb", "EEEE d. MMMM"), ("nn", "EEEE d. MMMM"), ("en", "EEEE d MMMM")])
def test_day_words_are_babels_words_every_day_of_a_year(app, locale, pattern):
    start = datetime(2027, 1, 1, 22, 30, tzinfo=UTC)  # 23:30 or 00:30 in Oslo: the day turns
    with app.test_request_context(), force_locale(locale):
        for n in range(366):
            moment = start + timedelta(days=n)
            assert day_words(moment) == format_date(moment, pattern)
            assert day_words(moment.date()) == format_date(moment.date(), pattern)


def test_day_words_in_norwegian_and_english(app):
    with app.test_request_context():
        with force_locale("nb"):
            assert day_words(date(2026, 11, 25)) == "onsdag 25. november"
        with force_locale("en"):
            assert day_words(date(2026, 11, 25)) == "Wednesday 25 November"


def test_clock_is_oslo_time_as_babel_says_it_across_the_dst_changes(app):
    with app.test_request_context():
        for start in (datetime(2027, 3, 27, 20, tzinfo=UTC), datetime(2027, 10, 30, 20, tzinfo=UTC)):
            for minutes in range(0, 12 * 60, 7):
                moment = start + timedelta(minutes=minutes)
                assert clock(moment) == format_time(moment, "HH:mm")
        assert clock(datetime(2027, 3, 28, 1, 0, tzinfo=UTC)) == "03:00"  # summer time began at 01:00 UTC
        assert clock(datetime(2027, 1, 5, 8, 0)) == "09:00"  # a naive datetime is UTC, as Babel takes it
