from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from worker_app.extensions import db
from worker_app.models import Notice, Permission, Shift, User
from worker_app.services import schedule
from worker_app.services.errors import Invalid


@pytest.fixture
def actors(app, people):
    """Loaded worker and specialist, inside an app context."""
    with app.app_context():
        yield (db.session.get(User, people.worker.id), db.session.get(User, people.specialist.id))


def add(worker, by, day, start="09:00", end="12:00"):
    return schedule.add_shift(db.session, worker=worker, by=by, day=day, start=start, end=end)


def test_every_friday_rule_makes_one_shift_per_friday_in_oslo_time(actors):
    worker, specialist = actors
    rule, shifts = schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[4],
                                     start="09:00", end="12:00", starts_on="2026-12-01",
                                     ends_on="2026-12-31")
    assert [schedule.oslo(s.starts_at).date() for s in shifts] == [
        date(2026, 12, 4), date(2026, 12, 11), date(2026, 12, 18), date(2026, 12, 25)]
    # Winter time: 09:00 in Oslo is 08:00 UTC.
    assert shifts[0].starts_at == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    assert all(s.rule_id == rule.id for s in shifts)


def test_monday_to_wednesday(actors):
    worker, specialist = actors
    _rule, shifts = schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[0, 1, 2],
                                      start="10:00", end="14:00", starts_on="2027-01-04",
                                      ends_on="2027-01-17")
    assert [schedule.oslo(s.starts_at).strftime("%a") for s in shifts] == [
        "Mon", "Tue", "Wed", "Mon", "Tue", "Wed"]


def test_a_rule_keeps_local_time_across_daylight_saving_changes(actors):
    worker, specialist = actors
    # Last Sunday of March 2027 is the 28th: clocks go forward.
    _rule, shifts = schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[4, 6],
                                      start="09:00", end="12:00", starts_on="2027-03-26",
                                      ends_on="2027-04-02")
    local = [(schedule.oslo(s.starts_at).strftime("%a %H:%M"), s.starts_at.hour) for s in shifts]
    assert local == [("Fri 09:00", 8), ("Sun 09:00", 7), ("Fri 09:00", 7)]
    # Last Sunday of October 2027 is the 31st: clocks go back.
    _rule, autumn = schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[6],
                                      start="09:00", end="12:00", starts_on="2027-10-24",
                                      ends_on="2027-10-31")
    assert [s.starts_at.hour for s in autumn] == [7, 8]
    assert all(schedule.oslo(s.starts_at).hour == 9 for s in autumn)


def test_a_night_shift_across_the_spring_change_is_an_hour_shorter(actors):
    worker, specialist = actors
    shift = add(worker, specialist, "2027-03-28", "00:00", "06:00")
    assert shift.ends_at - shift.starts_at == timedelta(hours=5)


@pytest.mark.parametrize(("fields", "field"), [
    ({"day": "2026-12-04", "start": "12:00", "end": "09:00"}, "end"),
    ({"day": "04.12.2026", "start": "09:00", "end": "12:00"}, "day"),
    ({"day": "2026-12-04", "start": "9", "end": "12:00"}, "start"),
    ({"day": "2026-12-04", "start": "09:00", "end": "25:00"}, "end"),
    ({"day": "2026-12-04", "start": "01:00", "end": "23:00"}, "end"),  # over 16 hours
])
def test_bad_shift_input_names_the_field(actors, fields, field):
    worker, specialist = actors
    with pytest.raises(Invalid) as problem:
        schedule.add_shift(db.session, worker=worker, by=specialist, **fields)
    assert problem.value.field == field
    assert db.session.query(Shift).count() == 0


def test_overlapping_shifts_are_refused_and_touching_ones_allowed(actors):
    worker, specialist = actors
    add(worker, specialist, "2026-12-04", "09:00", "12:00")
    with pytest.raises(Invalid) as problem:
        add(worker, specialist, "2026-12-04", "11:00", "13:00")
    assert problem.value.field == "start"
    add(worker, specialist, "2026-12-04", "12:00", "14:00")
    assert db.session.query(Shift).count() == 2


@pytest.mark.parametrize(("ends_on", "weekdays", "field"), [
    ("", [4], "ends_on"),
    ("2027-12-31", [4], "ends_on"),      # longer than a year
    ("2026-11-30", [4], "ends_on"),      # before the first day
    ("2026-12-31", [], "weekdays"),
])
def test_bad_rules_are_refused_and_save_nothing(actors, ends_on, weekdays, field):
    worker, specialist = actors
    with pytest.raises(Invalid) as problem:
        schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=weekdays,
                          start="09:00", end="12:00", starts_on="2026-12-01", ends_on=ends_on)
    assert problem.value.field == field
    assert db.session.query(Shift).count() == 0


def test_a_rule_that_overlaps_one_shift_saves_nothing_at_all(actors):
    worker, specialist = actors
    add(worker, specialist, "2026-12-18", "10:00", "11:00")
    db.session.commit()  # one request made the shift; the next one tries the rule
    with pytest.raises(Invalid):
        schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[4], start="09:00",
                          end="12:00", starts_on="2026-12-01", ends_on="2026-12-31")
    db.session.rollback()
    assert db.session.query(Shift).count() == 1


def test_moving_one_occurrence_leaves_the_rest_and_tells_who_may_see(actors, people, make_user,
                                                                     support_link):
    worker, specialist = actors
    blind = make_user("support")
    support_link(people.worker, blind, Permission.SEE_TASKS)  # may not see shifts
    _rule, shifts = schedule.add_rule(db.session, worker=worker, by=specialist, weekdays=[4],
                                      start="09:00", end="12:00", starts_on="2026-12-01",
                                      ends_on="2026-12-31")
    schedule.move_shift(db.session, shifts[1], by=specialist, day="2026-12-12", start="10:00",
                        end="13:00")
    reloaded = db.session.query(Shift).order_by(Shift.starts_at).all()
    assert [schedule.oslo(s.starts_at).strftime("%d %H") for s in reloaded] == [
        "04 09", "12 10", "18 09", "25 09"]
    assert [s.changed_at is not None for s in reloaded] == [False, True, False, False]
    told = {n.user_id for n in db.session.query(Notice)}
    assert told == {people.worker.id, people.supporter.id}


def test_a_cancelled_shift_is_skipped_and_announced(actors):
    worker, specialist = actors
    now = datetime.now(UTC)
    tomorrow = (schedule.oslo(now) + timedelta(days=1)).date().isoformat()
    later = (schedule.oslo(now) + timedelta(days=2)).date().isoformat()
    first = add(worker, specialist, tomorrow)
    second = add(worker, specialist, later)
    assert schedule.current_or_next(db.session, worker, now).id == first.id
    schedule.cancel_shift(db.session, first, by=specialist)
    assert schedule.current_or_next(db.session, worker, now).id == second.id
    assert [n.kind for n in schedule.unread_notices(db.session, worker)] == ["shift_cancelled"]
    schedule.mark_notices_read(db.session, worker)
    assert schedule.unread_notices(db.session, worker) == []


def test_the_longest_shift_going_on_is_still_the_current_one_near_its_end(actors):
    """The queries start at now minus the longest shift allowed; a 16-hour shift in its last
    minute must still be found, on I dag, its step page and the staff's list."""
    from worker_app.services import reminders

    worker, specialist = actors
    long = add(worker, specialist, "2026-12-04", "06:00", "22:00")  # 16 hours, the most allowed
    add(worker, specialist, "2026-12-05", "09:00", "12:00")
    last_minute = long.ends_at - timedelta(minutes=1)
    assert schedule.current_or_next(db.session, worker, last_minute).id == long.id
    assert reminders.current_or_next_with_answer(db.session, worker, last_minute)[0].id == long.id
    assert long.id in [s.id for s in schedule.for_staff(db.session, worker, last_minute)]
    assert schedule.current_or_next(db.session, worker, long.ends_at).id != long.id


def test_leave_home_time_comes_from_the_workers_own_minutes(actors):
    worker, specialist = actors
    shift = add(worker, specialist, "2026-12-04", "09:00", "12:00")
    assert schedule.leave_home(shift, worker) is None
    schedule.set_travel(db.session, worker, by=specialist, ready="30", travel="20")
    leave = schedule.leave_home(shift, worker)
    assert schedule.oslo(leave.leave).strftime("%H:%M") == "08:40"
    assert schedule.oslo(leave.get_ready).strftime("%H:%M") == "08:10"
    for bad in ("-5", "abc", "999"):
        with pytest.raises(Invalid):
            schedule.set_travel(db.session, worker, by=specialist, ready="30", travel=bad)


def test_minutes_left_only_during_the_shift(actors):
    worker, specialist = actors
    shift = add(worker, specialist, "2026-12-04", "09:00", "12:00")
    start = shift.starts_at
    assert schedule.minutes_left(shift, start - timedelta(minutes=1)) is None
    assert schedule.minutes_left(shift, start + timedelta(minutes=100)) == 80
    assert schedule.minutes_left(shift, shift.ends_at) is None


def test_two_weeks_has_fourteen_days_from_monday(actors):
    worker, specialist = actors
    add(worker, specialist, "2026-12-04")  # a Friday
    days = schedule.two_weeks(db.session, worker, date(2026, 12, 2))
    assert len(days) == 14 and days[0].day == date(2026, 11, 30)
    assert [len(d.shifts) for d in days][:7] == [0, 0, 0, 0, 1, 0, 0]


def test_calendar_address_is_secret_renewable_and_parses_back(actors):
    worker, specialist = actors
    add(worker, specialist, (date.today() + timedelta(days=3)).isoformat())
    token = schedule.calendar_token("secret", worker)
    assert schedule.worker_for_calendar_token(db.session, "secret", token).id == worker.id
    assert schedule.worker_for_calendar_token(db.session, "other-secret", token) is None
    assert schedule.worker_for_calendar_token(db.session, "secret", token[:-1] + "0") is None
    feed = Calendar.from_ical(schedule.calendar_feed(db.session, worker, datetime.now(UTC), "Vakter"))
    events = list(feed.walk("VEVENT"))
    assert len(events) == 1
    assert events[0]["DTSTART"].dt == db.session.query(Shift).one().starts_at
    schedule.renew_calendar(db.session, worker)
    assert schedule.worker_for_calendar_token(db.session, "secret", token) is None
