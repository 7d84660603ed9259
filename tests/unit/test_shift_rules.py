"""Repeat rules: Norway's public holidays left free, and a rule changed or ended (future only)."""

from datetime import UTC, date, datetime

import pytest

from worker_app.extensions import db
from worker_app.models import Notice, Permission, Shift, User
from worker_app.services import schedule
from worker_app.services.errors import Invalid

NOW = datetime(2027, 1, 10, 12, tzinfo=UTC)  # a Sunday in January 2027


@pytest.fixture
def actors(app, people):
    with app.app_context():
        yield (db.session.get(User, people.worker.id), db.session.get(User, people.specialist.id))


def fridays(worker, specialist, starts_on="2026-12-01", ends_on="2027-04-30", **kw):
    return schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[4], start="09:00",
                             end="12:00", starts_on=starts_on, ends_on=ends_on, **kw)


def days(shifts):
    return [schedule.oslo(s.starts_at).date() for s in shifts]


def test_holidays_a_friday_rule_across_christmas_and_easter_2027_skips_them_and_lists_them(actors):
    rule, shifts = fridays(*actors)
    free = [date(2026, 12, 25), date(2027, 1, 1), date(2027, 3, 26)]  # 1. juledag, 1. nyttårsdag, langfredag
    assert schedule.skipped_days(rule) == free
    assert not set(free) & set(days(shifts))
    assert len(shifts) == 22 - 3  # 22 Fridays from 4 December 2026 to 30 April 2027
    assert date(2027, 3, 19) in days(shifts) and date(2027, 4, 2) in days(shifts)


def test_also_on_public_holidays_keeps_every_friday(actors):
    rule, shifts = fridays(*actors, on_holidays=True)
    assert schedule.skipped_days(rule) == []
    assert {date(2026, 12, 25), date(2027, 3, 26)} <= set(days(shifts))


def test_a_rule_only_on_holidays_names_the_box(actors):
    with pytest.raises(Invalid) as problem:
        fridays(*actors, starts_on="2027-03-26", ends_on="2027-03-26")
    assert problem.value.field == "on_holidays"


def test_the_holiday_calendar_has_the_norwegian_holidays_and_no_plain_sundays():
    free = schedule.public_holidays(date(2027, 1, 1), date(2027, 12, 31))
    assert free[date(2027, 3, 26)] == "Langfredag"
    assert {date(2027, 5, 1), date(2027, 5, 17), date(2027, 5, 6), date(2027, 12, 25),
            date(2027, 12, 26), date(2027, 3, 25), date(2027, 3, 29)} <= set(free)
    sundays = [d for d in free if d.weekday() == 6]
    assert sundays == [date(2027, 3, 28), date(2027, 5, 16), date(2027, 12, 26)]  # påske-, pinse-, 2. juledag


def test_changing_a_rule_changes_only_shifts_to_come_and_keeps_hand_made_changes(actors, people):
    worker, specialist = actors
    rule, shifts = fridays(worker, specialist)
    moved = next(s for s in shifts if days([s]) == [date(2027, 2, 5)])
    schedule.move_shift(db.session, moved, by=specialist, day="2027-02-05", start="10:00", end="13:00")
    db.session.query(Notice).delete()
    new = schedule.change_rule(db.session, rule, by=specialist, weekdays=[3], start="08:00", end="11:00",
                               ends_on="2027-02-28", on_holidays=False, now=NOW)
    mine = db.session.query(Shift).filter_by(rule_id=rule.id).order_by(Shift.starts_at).all()
    past = [s for s in mine if s.starts_at < NOW]
    assert days(past) == [date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18), date(2027, 1, 8)]
    assert all(schedule.oslo(s.starts_at).hour == 9 for s in past)
    future = [s for s in mine if s.starts_at > NOW]
    # Thursdays from 14 January to 25 February, and the Friday moved by hand, as it was.
    assert days(future) == [date(2027, 1, 14), date(2027, 1, 21), date(2027, 1, 28), date(2027, 2, 4),
                            date(2027, 2, 5), date(2027, 2, 11), date(2027, 2, 18), date(2027, 2, 25)]
    assert schedule.oslo(db.session.get(Shift, moved.id).starts_at).hour == 10
    assert len(new) == 7 and all(schedule.oslo(s.starts_at).hour == 8 for s in new)
    assert (rule.weekdays, rule.start_time, rule.ends_on) == ("3", "08:00", date(2027, 2, 28))
    notices = db.session.query(Notice).filter_by(rule_id=rule.id).all()
    # One notice each (not one per shift): the worker, and the support person who sees shifts.
    assert sorted((n.user_id, n.kind) for n in notices) == sorted(
        [(worker.id, "rule_changed"), (people.supporter.id, "rule_changed")])


def test_the_same_values_change_nothing_and_tell_nobody(actors):
    worker, specialist = actors
    rule, _shifts = fridays(*actors)
    assert schedule.change_rule(db.session, rule, by=specialist, weekdays=[4], start="09:00", end="12:00",
                                ends_on="2027-04-30", on_holidays=False, now=NOW) is None
    assert db.session.query(Notice).count() == 0


@pytest.mark.parametrize(("values", "field"), [
    ({"ends_on": "2027-01-01"}, "ends_on"),        # before today
    ({"ends_on": "9999-12-31"}, "ends_on"),        # out of range
    ({"ends_on": "2028-06-01"}, "ends_on"),        # more than a year on
    ({"ends_on": ""}, "ends_on"),
    ({"start": "25:00"}, "start"),
    ({"end": "08:00"}, "end"),                     # before the start
    ({"weekdays": []}, "weekdays"),
    ({"weekdays": [9]}, "weekdays"),
])
def test_a_bad_change_names_its_field_and_changes_nothing(actors, values, field):
    worker, specialist = actors
    rule, shifts = fridays(*actors)
    given = {"weekdays": [4], "start": "09:00", "end": "12:00", "ends_on": "2027-03-31", **values}
    with pytest.raises(Invalid) as problem:
        schedule.change_rule(db.session, rule, by=specialist, on_holidays=False, now=NOW, **given)
    assert problem.value.field == field
    assert db.session.query(Shift).filter_by(rule_id=rule.id).count() == len(shifts)


def test_ending_a_rule_takes_away_its_shifts_from_that_day_with_one_notice(actors, people, make_user,
                                                                          support_link):
    worker, specialist = actors
    blind = make_user("support")
    support_link(people.worker, blind, Permission.SEE_TASKS)  # may not see shifts: not told
    rule, shifts = fridays(worker, specialist)
    moved = next(s for s in shifts if days([s]) == [date(2027, 3, 5)])
    schedule.move_shift(db.session, moved, by=specialist, day="2027-03-05", start="10:00", end="13:00")
    db.session.query(Notice).delete()
    removed = schedule.end_rule(db.session, rule, by=specialist, from_day="2027-02-01", now=NOW)
    live = db.session.query(Shift).filter_by(rule_id=rule.id, cancelled_at=None).order_by(Shift.starts_at).all()
    assert days(live)[-1] == date(2027, 1, 29)
    assert db.session.get(Shift, moved.id).cancelled_at is not None  # moved by hand: cancelled, not lost
    assert removed == 12  # Fridays 5 February to 30 April, less langfredag
    assert rule.ends_on == date(2027, 1, 31)
    notices = db.session.query(Notice).all()
    assert sorted((n.user_id, n.kind, n.rule_id) for n in notices) == sorted(
        [(worker.id, "rule_ended", rule.id), (people.supporter.id, "rule_ended", rule.id)])


@pytest.mark.parametrize(("day", "field"), [("2027-01-09", "from_day"), ("2027-05-01", "from_day"),
                                             ("1800-01-01", "from_day"), ("fredag", "from_day")])
def test_ending_needs_a_day_from_today_to_the_rules_last_day(actors, day, field):
    worker, specialist = actors
    rule, shifts = fridays(*actors)
    with pytest.raises(Invalid) as problem:
        schedule.end_rule(db.session, rule, by=specialist, from_day=day, now=NOW)
    assert problem.value.field == field
    assert db.session.query(Shift).filter_by(rule_id=rule.id).count() == len(shifts)
