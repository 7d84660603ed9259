"""Reminders in the pages: I dag's top card, Innstillinger, Hvem ser hva?, the calendar alarms,
the help receipt and the specialist's pages that update by themselves."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.conftest import count_queries
from tests.reminders.helpers import oslo_at
from worker_app.extensions import db
from worker_app.models import (
    AuditEntry,
    Event,
    HelpRequest,
    LeftHome,
    PushSubscription,
    Reminder,
    Shift,
    Signup,
    SupportLink,
    User,
    Workplace,
)
from worker_app.services import reminders, schedule, tasks


def _worker(app, people, travel=20, ready=20, starts_in=30, phone="+47 55 00 11 22"):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes = travel, ready
        place = Workplace(name="Fjordhotellet", contact_name="Hilde", contact_phone=phone)
        db.session.add(place)
        db.session.flush()
        start = datetime.now(UTC) + timedelta(minutes=starts_in)
        shift = Shift(worker_id=worker.id, workplace_id=place.id, starts_at=start, ends_at=start + timedelta(hours=3))
        db.session.add(shift)
        db.session.commit()
        return shift.id


def test_i_dag_top_card_has_jeg_har_gatt_between_get_ready_and_the_shift(app, client, people, sign_in):
    shift_id = _worker(app, people)
    sign_in(client, people.worker)
    page = client.get("/").text
    assert page.index('id="now-card"') < page.index('id="shift-heading"')  # the top card
    assert "Gå hjemme-fra kl." in page and "Trykk når du går hjemme-fra." in page
    assert f'action="/reminders/{shift_id}/left"' in page and "Jeg blir sen" in page
    for _ in range(2):  # a second tap counts once
        assert client.post(f"/reminders/{shift_id}/left").status_code == 302
    with app.app_context():
        (answer,) = db.session.query(LeftHome).all()
        assert answer.left_at is not None and answer.via == "today"
    page = client.get("/").text
    assert "Du har gått" in page and "Du trykket «Jeg har gått» kl." in page
    assert f'/reminders/{shift_id}/left"' not in page


def test_jeg_blir_sen_shows_the_leaders_number(app, client, people, sign_in, follow):
    shift_id = _worker(app, people)
    sign_in(client, people.worker)
    assert client.post(f"/reminders/{shift_id}/late").status_code == 302
    page = client.get("/").text
    assert "Du blir sen" in page and "De som hjelper deg, har fått beskjed." in page
    assert 'href="tel:+4755001122"' in page and "Ring lederen" in page
    with app.app_context():  # the specialist is told
        assert [r.kind for r in db.session.query(Reminder).filter_by(user_id=people.specialist.id)] == ["late"]


def test_no_top_card_before_get_ready_time_or_on_another_day(app, client, people, sign_in):
    _worker(app, people, starts_in=24 * 60)
    sign_in(client, people.worker)
    assert 'id="now-card"' not in client.get("/").text


def test_someone_elses_shift_can_not_be_marked(app, client, people, sign_in):
    shift_id = _worker(app, people)
    sign_in(client, people.second_worker)
    assert client.post(f"/reminders/{shift_id}/left").status_code == 404


def test_jeg_har_gatt_from_the_notification_button(app, client, people):
    shift_id = _worker(app, people)
    token = reminders.left_token(app.config["SECRET_KEY"], people.worker.id, shift_id)
    assert client.post("/reminders/left", data={"token": token}).status_code == 204
    assert client.post("/reminders/left", json={"token": token}).status_code == 204
    assert client.post("/reminders/left", data={"token": token[:-2] + "xx"}).status_code == 404
    with app.app_context():
        assert [(a.via, a.shift_id) for a in db.session.query(LeftHome)] == [("push", shift_id)]


def test_innstillinger_turns_each_kind_off_and_on_in_one_tap(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/settings").text
    assert "Gjør deg klar: <strong>På</strong>" in page and "Alarm i kalenderen: <strong>På</strong>" in page
    assert client.post("/settings/reminders/get_ready", data={"on": "0"}).status_code == 302
    assert client.post("/settings/reminders/calendar_alarms", data={"on": "0"}).status_code == 302
    page = client.get("/settings").text
    assert "Gjør deg klar: <strong>Av</strong>" in page and "Alarm i kalenderen: <strong>Av</strong>" in page
    assert "Gå hjemme-fra nå: <strong>På</strong>" in page
    client.post("/settings/reminders/get_ready", data={"on": "1"})
    assert "Gjør deg klar: <strong>På</strong>" in client.get("/settings").text
    # A kind that is not the person's own is no switch.
    assert client.post("/settings/reminders/help", data={"on": "0"}).status_code == 404


def test_a_device_subscribes_and_signing_out_removes_it(app, client, people, sign_in):
    sign_in(client, people.specialist)
    bad = client.post("/push/subscribe", json={"endpoint": "ftp://x", "keys": {}})
    assert bad.status_code == 400
    body = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BPkey", "auth": "secret"}}
    assert client.post("/push/subscribe", json=body).status_code == 201
    assert client.post("/push/subscribe", json=body).status_code == 201  # the same device again
    with app.app_context():
        assert db.session.query(PushSubscription).count() == 1
    assert "Varsler kommer på 1 telefon eller maskin." in client.get("/settings").text
    client.post("/logout")
    with app.app_context():
        assert db.session.query(PushSubscription).count() == 0


def test_the_worker_grants_and_withdraws_si_fra_hvis_jeg_ikke_har_gatt(app, client, people, sign_in):
    with app.app_context():
        link = db.session.get(SupportLink, people.link_id)
        link.notify_not_left = True
        db.session.commit()
    sign_in(client, people.worker)
    page = client.get("/sharing").text
    assert "få beskjed hvis du ikke har trykket «Jeg har gått»" in page
    stop = f"/sharing/{people.link_id}/stop/notify_not_left"
    assert client.get(stop).status_code == 200
    assert client.post(stop).status_code == 302
    with app.app_context():
        assert db.session.get(SupportLink, people.link_id).notify_not_left is False
        assert reminders.helper_ids(db.session, [people.worker.id])[people.worker.id] == {people.specialist.id}


# The calendar feed ------------------------------------------------------------------------------


def _feed(app, client, worker_id):
    with app.app_context():
        worker = db.session.get(User, worker_id)
        token = schedule.calendar_token(app.config["SECRET_KEY"], worker)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


@pytest.mark.parametrize("day", [date(2027, 3, 27), date(2027, 3, 28), date(2027, 3, 29),
                                 date(2027, 10, 30), date(2027, 10, 31), date(2027, 11, 1)])
def test_calendar_alarms_at_get_ready_and_leave_home_in_dst_weeks(app, client, people, day):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes = 35, 20
        db.session.add(Shift(worker_id=worker.id, starts_at=oslo_at(day, "09:00"), ends_at=oslo_at(day, "12:00")))
        db.session.commit()
    (event,) = [c for c in _feed(app, client, people.worker.id).walk("VEVENT")]
    alarms = event.walk("VALARM")
    start = event.decoded("dtstart")
    rings = sorted(schedule.oslo(start + a.decoded("trigger")).strftime("%H:%M") for a in alarms)
    assert rings == ["08:05", "08:25"]
    assert sorted(str(a["description"]) for a in alarms) == ["Gjør deg klar", "Gå hjemme-fra nå"]


def test_calendar_without_travel_time_and_with_a_joined_event(app, client, people):
    with app.app_context():
        now = datetime.now(UTC)
        db.session.add(Shift(worker_id=people.worker.id, starts_at=now + timedelta(days=2),
                             ends_at=now + timedelta(days=2, hours=3)))
        event = Event(title="Tur i skogen", place="Fløyen", starts_at=now + timedelta(days=5),
                      ends_at=now + timedelta(days=5, hours=2))
        db.session.add(event)
        db.session.flush()
        db.session.add(Signup(event_id=event.id, worker_id=people.worker.id, state="going"))
        db.session.commit()
    cal = _feed(app, client, people.worker.id)
    by_uid = {str(e["uid"]).split("-")[0]: e for e in cal.walk("VEVENT")}
    (ready,) = by_uid["shift"].walk("VALARM")
    assert ready.decoded("trigger") == -timedelta(hours=1) and str(ready["description"]) == "Gjør deg klar"
    (before,) = by_uid["event"].walk("VALARM")
    assert before.decoded("trigger") == -timedelta(days=1)
    assert str(before["description"]) == "I morgen: Tur i skogen"


def test_calendar_alarms_turned_off(app, client, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.calendar_alarms = False
        now = datetime.now(UTC)
        db.session.add(Shift(worker_id=worker.id, starts_at=now + timedelta(days=2),
                             ends_at=now + timedelta(days=2, hours=3)))
        db.session.commit()
    assert [a for e in _feed(app, client, people.worker.id).walk("VEVENT") for a in e.walk("VALARM")] == []


# Help reaches a person ----------------------------------------------------------------------------


def _checklist(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        specialist = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, specialist, "Fylle kaffe-maskinen", "2615")
        for text in ("Fyll kaffe-maskinen med vann.", "Trykk på start-knappen."):
            tasks.add_step(db.session, checklist, text=text, pictogram="2615", hint="")
        (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=specialist,
                                   on_date=schedule.oslo(datetime.now(UTC)).date())
        return assignment.id


def test_the_receipt_leads_back_to_the_step_and_says_who_saw_it(app, client, people, sign_in):
    assignment_id = _checklist(app, people)
    sign_in(client, people.worker)
    client.get(f"/tasks/{assignment_id}/step/1")
    sent = client.post(f"/tasks/{assignment_id}/step/2/help")
    receipt = client.get(sent.location).text
    assert "Oppgaven: Fylle kaffe-maskinen." in receipt and "Steg 2." in receipt
    assert f'href="/tasks/{assignment_id}/step/2"' in receipt and "Tilbake til oppgaven" in receipt
    assert 'hx-trigger="every 20s"' in receipt
    assert "Jobb-spesialisten tar kontakt med deg så fort som mulig." in receipt

    staff = app.test_client()
    sign_in(staff, people.specialist)
    staff.get(f"/staff/workers/{people.worker.id}")  # she opens the worker's page
    fragment = client.get(sent.location, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment
    assert re.search(r"Kari har sett meldingen kl\. \d\d:\d\d\.", fragment)
    assert "Kari tar kontakt med deg så fort som mulig." in fragment
    with app.app_context():
        (request,) = db.session.query(HelpRequest).all()
        assert request.seen_by_id == people.specialist.id and request.assignment_id == assignment_id
        staff.post(f"/staff/help/{request.id}/handled")
    handled = client.get(sent.location, headers={"HX-Request": "true"}).text
    assert "har sett meldingen" in handled and "hx-trigger" not in handled  # stops asking


def test_another_specialist_opening_the_page_is_not_who_saw_it(app, client, people, sign_in):
    sign_in(client, people.worker)
    client.post("/help/ask", data={"reason": "sad"})
    admin = app.test_client()
    sign_in(admin, people.admin)
    admin.get(f"/staff/workers/{people.worker.id}")
    with app.app_context():
        assert db.session.query(HelpRequest).one().seen_at is None


def _add_help(app, worker_ids):
    with app.app_context():
        for worker_id in worker_ids:
            db.session.add(HelpRequest(worker_id=worker_id, reason="late"))
        db.session.commit()


def test_mine_arbeidstakere_shows_a_new_request_by_itself_in_fixed_queries(app, client, people, sign_in):
    sign_in(client, people.specialist)
    page = client.get("/staff").text
    assert 'hx-get="/staff/caseload" hx-trigger="every 20s"' in page
    with count_queries(app) as small:
        first = client.get("/staff/caseload", headers={"HX-Request": "true"})
    assert "<html" not in first.text and "Ingen åpne hjelpe-meldinger." in first.text
    _add_help(app, [people.worker.id] * 5 + [people.second_worker.id] * 5)
    with app.app_context():
        audit_before = db.session.query(AuditEntry).count()
    with count_queries(app) as big:
        second = client.get("/staff/caseload", headers={"HX-Request": "true"})
    assert "5 åpne hjelpe-meldinger" in second.text
    assert len(small) == len(big)
    with app.app_context():  # polling is not a new visit in the audit log
        assert db.session.query(AuditEntry).count() == audit_before


def test_the_worker_page_help_list_updates_by_itself_in_fixed_queries(app, client, people, sign_in):
    sign_in(client, people.specialist)
    page = client.get(f"/staff/workers/{people.worker.id}").text
    assert f'hx-get="/staff/workers/{people.worker.id}/help" hx-trigger="every 20s"' in page
    path = f"/staff/workers/{people.worker.id}/help"
    with count_queries(app) as small:
        client.get(path, headers={"HX-Request": "true"})
    _add_help(app, [people.worker.id] * 8)
    with count_queries(app) as big:
        fragment = client.get(path, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and fragment.count('<li class="help-request') == 8
    assert len(small) == len(big)


def test_the_receipt_block_uses_fixed_queries(app, client, people, sign_in):
    sign_in(client, people.worker)
    location = client.post("/help/ask", data={"reason": "sad"}).location
    client.get(location)  # warm: the settings row is made on first use
    with count_queries(app) as one:
        client.get(location, headers={"HX-Request": "true"})
    _add_help(app, [people.worker.id] * 10)
    with count_queries(app) as many:
        client.get(location, headers={"HX-Request": "true"})
    assert len(one) == len(many) <= 6


def test_new_task_and_event_place_are_recorded_for_the_worker(app, people):
    _checklist(app, people)
    with app.app_context():
        assert [r.kind for r in db.session.query(Reminder).filter_by(user_id=people.worker.id)] == ["new_task"]


def test_the_specialist_sets_the_margin_before_helpers_are_told(app, client, people, sign_in):
    sign_in(client, people.specialist)
    path = f"/staff/workers/{people.worker.id}/travel"
    page = client.get(f"/staff/workers/{people.worker.id}").text
    assert "Minutter før hjelperne får beskjed" in page and 'value="10"' in page
    assert client.post(path, data={"ready_minutes": "20", "travel_minutes": "35",
                                   "escalate_minutes": "0"}).status_code == 400
    assert client.post(path, data={"ready_minutes": "20", "travel_minutes": "35",
                                   "escalate_minutes": "15"}).status_code == 302
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        assert (worker.escalate_minutes, worker.travel_minutes) == (15, 35)
