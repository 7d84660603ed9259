"""I dag, Vakter and the specialist's shift editor, through the Flask test client."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Follows, Shift, User
from worker_app.services import schedule


def local_day(days_from_now=0):
    return (schedule.oslo(datetime.now(UTC)) + timedelta(days=days_from_now)).date().isoformat()


def make_shift(app, worker, start, end, **fields):
    with app.app_context():
        shift = Shift(worker_id=worker.id, starts_at=start, ends_at=end, **fields)
        db.session.add(shift)
        db.session.commit()
        return shift.id


def set_minutes(app, worker, ready, travel):
    with app.app_context():
        user = db.session.get(User, worker.id)
        user.ready_minutes, user.travel_minutes = ready, travel
        db.session.commit()


def test_today_shows_the_next_shift_with_clock_and_leave_home_time(app, client, people, sign_in):
    start = schedule.at_oslo(datetime.fromisoformat(local_day(1)).date(),
                             datetime.strptime("09:00", "%H:%M").time())
    make_shift(app, people.worker, start, start + timedelta(hours=3), note="Ta med nøkkel-kort.")
    set_minutes(app, people.worker, 30, 20)
    sign_in(client, people.worker)
    page = client.get("/").text
    assert "Neste vakt" in page and "Du har fri i dag." in page
    assert "kl. 09:00–12:00" in page
    # The clock shows the moment to act on: leaving home, with words for the part of the day.
    assert re.search(r'<svg class="clock"[^>]*role="img"\s+aria-label="Klokke som viser kl. 08:40"', page)
    assert "Gjør deg klar kl. 08:10." in page and "Gå hjemme-fra i morgen tidlig kl. 08:40." in page
    assert "Ta med nøkkel-kort." in page
    assert 'class="wedge"' not in page  # no countdown a day ahead
    # "Now" first: the card comes before the greeting and everything else in <main>.
    main = page[page.index("<main"):]
    assert main.index("now-card") < main.index("Hei, Ola.")


def test_before_a_shift_a_countdown_to_leaving_home(app, client, people, sign_in):
    now = datetime.now(UTC)
    make_shift(app, people.worker, now + timedelta(minutes=50, seconds=30), now + timedelta(hours=3))
    set_minutes(app, people.worker, None, 30)
    sign_in(client, people.worker)
    page = client.get("/").text
    assert "Gå hjemme-fra om 21 minutter" in page or "Gå hjemme-fra om 20 minutter" in page
    leave = schedule.oslo(now + timedelta(minutes=20, seconds=30)).strftime("%H:%M")
    assert f'aria-label="Klokke som viser kl. {leave}"' in page
    # 20 minutes left: a third of the circle, ending near 4 o'clock.
    wedge = re.search(r'<path class="wedge__left" d="M50 50 L50 10 A40 40 0 0 1 ([\d.]+) ([\d.]+) Z"', page)
    assert wedge and 82 < float(wedge.group(1)) < 85.5 and 68 < float(wedge.group(2)) < 74


def test_part_of_day_words(app):
    from worker_app.timewords import part_of_day, wedge_path

    today = datetime.fromisoformat(local_day(0)).date()
    at = lambda day, hm: schedule.at_oslo(day, datetime.strptime(hm, "%H:%M").time())  # noqa: E731
    noon = at(today, "12:00")
    with app.test_request_context():
        assert part_of_day(at(today, "21:00"), noon) == "i kveld"
        assert part_of_day(at(today, "07:00"), noon - timedelta(hours=6)) == "i dag tidlig"
        assert part_of_day(at(today + timedelta(days=1), "06:30"), noon) == "i morgen tidlig"
        assert part_of_day(at(today + timedelta(days=1), "19:00"), noon) == "i morgen kveld"
        assert part_of_day(at(today + timedelta(days=3), "09:00"), noon)[0].isalpha()  # a weekday
    assert wedge_path(0) == "" and wedge_path(90) == "full"
    assert wedge_path(30).endswith("0 0 1 50.00 90.00 Z")  # half an hour: half the circle


def test_during_a_shift_a_calm_time_left_bar(app, client, people, sign_in):
    now = datetime.now(UTC)
    make_shift(app, people.worker, now - timedelta(minutes=100),
               now + timedelta(minutes=80, seconds=30))
    sign_in(client, people.worker)
    page = client.get("/").text
    assert "Du er på jobb nå" in page
    assert "1 time og 20 minutter igjen." in page
    assert '<progress class="time-left" max="180" value="100"' in page


def test_no_shifts_at_all(client, people, sign_in):
    sign_in(client, people.worker)
    assert "Du har ingen vakter nå." in client.get("/").text


def test_shifts_page_has_two_weeks_of_day_cards(app, client, people, sign_in):
    start = schedule.at_oslo(datetime.fromisoformat(local_day(0)).date(),
                             datetime.strptime("23:00", "%H:%M").time())
    make_shift(app, people.worker, start, start + timedelta(minutes=30),
               changed_at=datetime.now(UTC))
    sign_in(client, people.worker)
    page = client.get("/shifts").text
    assert len(re.findall(r'<li class="day-card( day-card--today)?">', page)) == 14
    assert "Denne uka" in page and "Neste uke" in page
    assert page.count("<span>Fri</span>") == 13
    assert "<span>Endret</span>" in page
    # Vakter starts at today; the days gone this week are folded away at the end.
    first = re.search(r'<li class="day-card( day-card--today)?">', page)
    assert first.group(1) == " day-card--today"
    gone = schedule.oslo(datetime.now(UTC)).weekday()
    assert ('<details class="past-days">' in page) == (gone > 0)
    if gone:
        folded = page[page.index('<details class="past-days">'):]
        assert len(re.findall(r'<li class="day-card">', folded)) == gone


def test_specialist_adds_a_shift_and_bad_input_is_named_and_kept(app, client, people, sign_in):
    sign_in(client, people.specialist)
    url = f"/staff/workers/{people.worker.id}/shifts"
    bad = client.post(url, data={"shift-day": "2026-12-04", "shift-start": "12:00",
                                 "shift-end": "09:00", "shift-note": "Ta med nøkkel-kort."})
    assert bad.status_code == 400
    assert "Slutten må være etter starten." in bad.text
    assert 'aria-invalid="true"' in bad.text and 'value="Ta med nøkkel-kort."' in bad.text
    wrong_date = client.post(url, data={"shift-day": "4/12", "shift-start": "09:00",
                                        "shift-end": "12:00"})
    assert "Skriv datoen som ÅÅÅÅ-MM-DD" in wrong_date.text
    ok = client.post(url, data={"shift-day": "2026-12-04", "shift-start": "09:00",
                                "shift-end": "12:00"})
    assert ok.status_code == 302
    overlap = client.post(url, data={"shift-day": "2026-12-04", "shift-start": "11:00",
                                     "shift-end": "13:00"})
    assert overlap.status_code == 400 and "allerede en vakt" in overlap.text
    with app.app_context():
        assert db.session.query(Shift).count() == 1


def test_specialist_adds_a_repeating_rule(app, client, people, sign_in):
    sign_in(client, people.specialist)
    url = f"/staff/workers/{people.worker.id}/shift-rules"
    no_end = client.post(url, data={"rule-weekdays": ["4"], "rule-start": "09:00",
                                    "rule-end": "12:00", "rule-starts_on": "2026-12-01"})
    assert no_end.status_code == 400 and "Høyst 1 år fram" in no_end.text
    too_long = client.post(url, data={"rule-weekdays": ["4"], "rule-start": "09:00",
                                      "rule-end": "12:00", "rule-starts_on": "2026-12-01",
                                      "rule-ends_on": "2028-01-01"})
    assert "Høyst 1 år om gangen." in too_long.text
    ok = client.post(url, data={"rule-weekdays": ["4"], "rule-start": "09:00",
                                "rule-end": "12:00", "rule-starts_on": "2026-12-01",
                                "rule-ends_on": "2026-12-31"})
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.query(Shift).count() == 3  # 25 December is left free
    page = client.get(ok.headers["Location"])
    assert "3 vakter er lagt til." in page.text
    assert "Ingen vakt på helligdagene: fredag 25. desember." in page.text


def test_another_specialists_worker_gets_nothing(app, client, people, sign_in):
    shift_id = make_shift(app, people.stranger_worker, datetime(2026, 12, 4, 8, tzinfo=UTC),
                          datetime(2026, 12, 4, 11, tzinfo=UTC))
    sign_in(client, people.specialist)
    assert client.post(f"/staff/workers/{people.stranger_worker.id}/shifts",
                       data={"shift-day": "2026-12-05", "shift-start": "09:00",
                             "shift-end": "12:00"}).status_code == 403
    assert client.get(f"/staff/shifts/{shift_id}/move").status_code == 403
    assert client.post(f"/staff/shifts/{shift_id}/cancel").status_code == 403


def test_move_and_cancel_reach_the_worker_and_the_support_person(app, client, people, sign_in):
    day = datetime.fromisoformat(local_day(2)).date()
    start = schedule.at_oslo(day, datetime.strptime("09:00", "%H:%M").time())
    first = make_shift(app, people.worker, start, start + timedelta(hours=3))
    second = make_shift(app, people.worker, start + timedelta(days=1),
                        start + timedelta(days=1, hours=3))
    sign_in(client, people.specialist)
    moved = client.post(f"/staff/shifts/{first}/move",
                        data={"shift-day": day.isoformat(), "shift-start": "10:00",
                              "shift-end": "13:00"})
    assert moved.status_code == 302
    assert "Avlys vakten?" in client.get(f"/staff/shifts/{second}/cancel").text
    assert client.post(f"/staff/shifts/{second}/cancel").status_code == 302

    worker = app.test_client()
    sign_in(worker, people.worker)
    today = worker.get("/").text
    assert "Noe er endret" in today and "er avlyst." in today and "kl. 10:00–13:00" in today
    worker.post("/notices/seen")
    assert "Noe er endret" not in worker.get("/").text

    supporter = app.test_client()
    sign_in(supporter, people.supporter)
    assert "Ola: Vakten" in supporter.get("/support").text.replace("\n", " ").replace("  ", "")


def test_support_person_sees_shifts_only_with_permission(app, client, people, sign_in, make_user,
                                                        support_link):
    from worker_app.models import Permission

    sign_in(client, people.supporter)
    assert client.get(f"/support/workers/{people.worker.id}").status_code == 200
    assert "Ola har ingen vakter nå." in client.get(f"/support/workers/{people.worker.id}").text
    assert client.get(f"/support/workers/{people.worker.id}/shifts").status_code == 200
    assert client.get(f"/support/workers/{people.second_worker.id}").status_code == 403
    tasks_only = make_user("support")
    support_link(people.second_worker, tasks_only, Permission.SEE_TASKS)
    other = app.test_client()
    sign_in(other, tasks_only)
    assert other.get(f"/support/workers/{people.second_worker.id}/shifts").status_code == 403


def test_calendar_feed_parses_back_and_can_be_renewed(app, client, people, sign_in):
    start = datetime.now(UTC) + timedelta(days=2)
    make_shift(app, people.worker, start, start + timedelta(hours=3))
    sign_in(client, people.worker)
    page = client.get("/shifts/calendar").text
    feed_path = page.split('value="http://localhost', 1)[1].split('"', 1)[0]
    feed = client.get(feed_path)
    assert feed.headers["Content-Type"].startswith("text/calendar")
    events = list(Calendar.from_ical(feed.data).walk("VEVENT"))
    assert len(events) == 1 and abs(events[0]["DTSTART"].dt - start) < timedelta(seconds=1)
    client.post("/shifts/calendar/renew")
    assert client.get(feed_path).status_code == 404
    assert app.test_client().get("/calendar/1-nonsense.ics").status_code == 404


LIMIT = 8


def _count(app, client, path):
    client.get(path)
    with count_queries(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/", "/shifts"])
def test_today_and_shifts_query_count_is_fixed(app, client, people, sign_in, path):
    sign_in(client, people.worker)
    base = datetime.now(UTC) - timedelta(days=200)
    make_shift(app, people.worker, base, base + timedelta(hours=1))
    one = _count(app, client, path)
    with app.app_context():
        for i in range(1, 500):
            start = base + timedelta(hours=13 * i)
            db.session.add(Shift(worker_id=people.worker.id, starts_at=start,
                                 ends_at=start + timedelta(hours=3)))
        for i in range(200):
            other = User(name=f"Arbeidstaker {i}", role="worker")
            db.session.add(other)
            db.session.flush()
            db.session.add(Follows(specialist_id=people.specialist.id, worker_id=other.id))
        db.session.commit()
    many = _count(app, client, path)
    assert one == many <= LIMIT


def test_support_views_query_count_is_fixed(app, client, people, sign_in):
    sign_in(client, people.supporter)
    assert _count(app, client, f"/support/workers/{people.worker.id}") <= LIMIT
    assert _count(app, client, f"/support/workers/{people.worker.id}/shifts") <= LIMIT


def test_the_specialist_can_renew_the_workers_calendar_address(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/shifts/calendar").text
    feed_path = page.split('value="http://localhost', 1)[1].split('"', 1)[0]
    assert client.get(feed_path).status_code == 200
    staff = app.test_client()
    sign_in(staff, people.specialist)
    assert staff.post(f"/staff/workers/{people.worker.id}/calendar/renew").status_code == 302
    assert client.get(feed_path).status_code == 404
    assert staff.post(f"/staff/workers/{people.stranger_worker.id}/calendar/renew").status_code == 403
