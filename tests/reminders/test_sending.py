"""Reminders: which moments, sent once, the escalation, the budget and quiet hours, push errors."""

from datetime import date, timedelta

import pytest

from tests.reminders.helpers import FakePush, add_device, add_shift, oslo_at, run_sender, states
from worker_app import pictograms
from worker_app.extensions import db
from worker_app.models import (
    LeftHome,
    Notice,
    Permission,
    PushSubscription,
    Reminder,
    SupportLink,
    User,
)
from worker_app.services import consent, reminders, schedule
from worker_app.services.reminders import PushResult

DAY = date(2027, 1, 13)  # a Wednesday in winter time


@pytest.fixture
def world(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes = 35, 20
        db.session.commit()
        yield worker, db.session.get(User, people.specialist.id), db.session.get(User, people.supporter.id)


def test_moments_come_from_shift_start_travel_and_get_ready_minutes(world):
    worker, _, _ = world
    shift = add_shift(worker, DAY)
    at = reminders.moments(shift, worker)
    assert schedule.oslo(at.get_ready).strftime("%H:%M") == "08:05"
    assert schedule.oslo(at.leave_home).strftime("%H:%M") == "08:25"
    assert schedule.oslo(at.escalate).strftime("%H:%M") == "08:35"  # the default 10 minutes


def test_without_travel_time_get_ready_comes_1_hour_before_and_no_leave_home(world):
    worker, _, _ = world
    worker.travel_minutes = None
    db.session.commit()
    add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    for hhmm in ("07:59", "08:00", "08:25", "08:40"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles() == ["Gjør deg klar"]
    assert push.calls[0]["data"]["body"] == "Vakten begynner kl. 09:00."


def test_get_ready_and_leave_home_are_each_sent_once_with_what_to_do(world):
    worker, _, _ = world
    shift = add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    for hhmm in ("08:04", "08:05", "08:06", "08:10", "08:25", "08:25", "08:26"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles() == ["Gjør deg klar", "Gå hjemme-fra nå"]
    ready, leave = (c["data"] for c in push.calls)
    assert ready["body"] == "Vakten begynner kl. 09:00. Gå hjemme-fra kl. 08:25."
    assert leave["body"] == "Vakten begynner kl. 09:00."
    assert leave["actions"] == [{"action": "left", "title": "Jeg har gått"}]
    assert leave["icon"].endswith(f"{pictograms.code('leave_home')}.svg")  # the same picture as on I dag
    assert reminders.read_left_token("test-secret", leave["left_token"]) == (worker.id, shift.id)
    # Shift moments are urgent and live until the shift starts.
    assert push.calls[1]["headers"]["Urgency"] == "high"
    assert push.calls[1]["ttl"] == 35 * 60


@pytest.mark.parametrize("day, utc_leave", [
    (date(2027, 3, 27), "07:25"),  # Saturday before the spring change: UTC+1
    (date(2027, 3, 28), "06:25"),  # the day the clocks go forward: UTC+2
    (date(2027, 10, 31), "07:25"),  # the day the clocks go back: UTC+1 again
    (date(2027, 11, 1), "07:25"),
])
def test_leave_home_rings_at_the_local_time_in_dst_weeks(world, day, utc_leave):
    worker, _, _ = world
    add_shift(worker, day)
    add_device(worker)
    push = FakePush()
    run_sender(oslo_at(day, "08:05"), push)
    run_sender(oslo_at(day, "08:24"), push)
    assert push.titles() == ["Gjør deg klar"]
    leave_at = oslo_at(day, "08:25")
    assert leave_at.strftime("%H:%M") == utc_leave
    run_sender(leave_at, push)
    assert push.titles() == ["Gjør deg klar", "Gå hjemme-fra nå"]


def test_a_shift_moved_after_its_reminder_was_recorded_sends_the_new_time(world):
    worker, specialist, _ = world
    shift = add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    now = oslo_at(DAY, "08:05")
    reminders.plan(db.session, now)  # recorded, not sent yet
    db.session.commit()
    schedule.move_shift_at(db.session, shift, by=specialist, starts_at=oslo_at(DAY, "10:00"),
                           ends_at=oslo_at(DAY, "13:00"))
    run_sender(now, push)
    assert push.titles() == ["Vakten er endret"]
    assert "kl. 10:00" in push.calls[0]["data"]["body"]
    assert ("get_ready", "skipped", "moved") in states(user_id=worker.id)
    run_sender(oslo_at(DAY, "09:05"), push)
    assert push.titles()[-1] == "Gjør deg klar"
    assert push.calls[-1]["data"]["body"] == "Vakten begynner kl. 10:00. Gå hjemme-fra kl. 09:25."


def test_a_cancelled_shift_sends_no_leave_home(world):
    worker, specialist, _ = world
    shift = add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    reminders.plan(db.session, oslo_at(DAY, "08:05"))
    db.session.commit()
    schedule.cancel_shift(db.session, shift, by=specialist)
    for hhmm in ("08:05", "08:25", "08:35"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles() == ["Vakten er endret"]
    assert push.calls[0]["data"]["body"].endswith("er avlyst.")
    kinds = [k for k, _, _ in states(user_id=worker.id)]
    assert "leave_home" not in kinds


def test_many_changes_before_sending_are_one_reminder(world):
    worker, specialist, _ = world
    shift = add_shift(worker, date(2027, 1, 20))
    add_device(worker)
    for hour in (10, 11, 12):
        schedule.move_shift_at(db.session, shift, by=specialist, starts_at=oslo_at(date(2027, 1, 20), f"{hour}:00"),
                               ends_at=oslo_at(date(2027, 1, 20), f"{hour + 2}:00"))
    push = FakePush()
    run_sender(oslo_at(DAY, "10:00"), push)
    assert push.titles() == ["Vakten er endret"]
    assert "kl. 12:00" in push.calls[0]["data"]["body"]


def _grant_not_left(worker, supporter):
    link = db.session.query(SupportLink).filter_by(worker_id=worker.id, supporter_id=supporter.id).one()
    link.notify_not_left = True
    db.session.commit()
    return link


def test_no_jeg_har_gatt_by_the_margin_tells_the_chosen_helpers_and_the_specialist(world):
    worker, specialist, supporter = world
    _grant_not_left(worker, supporter)
    add_shift(worker, DAY)
    for person in (worker, specialist, supporter):
        add_device(person)
    push = FakePush()
    for hhmm in ("08:25", "08:34"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles(supporter.id) == []
    run_sender(oslo_at(DAY, "08:35"), push)
    run_sender(oslo_at(DAY, "08:36"), push)
    expected = ["Ola har ikke trykket «Jeg har gått»."]
    assert push.titles(supporter.id) == expected and push.titles(specialist.id) == expected
    assert push.calls[-1]["data"]["body"] == "Vakten begynner kl. 09:00."
    # The support person also sees it on their start page.
    assert db.session.query(Notice).filter_by(user_id=supporter.id, kind="not_left").count() == 1


def test_jeg_har_gatt_in_time_stops_the_escalation_and_a_second_tap_counts_once(world):
    worker, specialist, supporter = world
    _grant_not_left(worker, supporter)
    shift = add_shift(worker, DAY)
    add_device(specialist)
    add_device(supporter)
    first = reminders.mark_left(db.session, worker, shift.id)
    db.session.commit()
    again = reminders.mark_left(db.session, worker, shift.id, via="push")
    db.session.commit()
    assert again.left_at == first.left_at and again.via == "today"
    assert db.session.query(LeftHome).count() == 1
    push = FakePush()
    run_sender(oslo_at(DAY, "08:35"), push)
    assert push.calls == []


def test_the_escalation_never_goes_to_a_helper_the_worker_has_not_chosen(world, make_user, support_link):
    worker, specialist, supporter = world
    # The default support person sees shifts but was not given "Si fra hvis jeg ikke har gått".
    add_shift(worker, DAY)
    add_device(supporter)
    push = FakePush()
    run_sender(oslo_at(DAY, "08:35"), push)
    assert push.titles(supporter.id) == []


def test_withdrawn_mid_morning_the_helper_is_not_told(world):
    worker, specialist, supporter = world
    link = _grant_not_left(worker, supporter)
    add_shift(worker, DAY)
    add_device(supporter)
    add_device(specialist)
    now = oslo_at(DAY, "08:35")
    reminders.plan(db.session, now)  # the escalation is recorded for both...
    db.session.commit()
    consent.stop_permission(db.session, worker, link.id, Permission.NOTIFY_NOT_LEFT)  # ...then withdrawn
    push = FakePush()
    run_sender(now, push)
    assert push.titles(supporter.id) == []
    assert push.titles(specialist.id) == ["Ola har ikke trykket «Jeg har gått»."]
    assert ("not_left", "skipped", "not_chosen") in states(user_id=supporter.id)


def test_jeg_blir_sen_tells_the_same_people_once(world):
    worker, specialist, supporter = world
    _grant_not_left(worker, supporter)
    shift = add_shift(worker, DAY)
    add_device(specialist)
    add_device(supporter)
    reminders.mark_late(db.session, worker, shift.id)
    reminders.mark_late(db.session, worker, shift.id)
    db.session.commit()
    push = FakePush()
    run_sender(oslo_at(DAY, "08:30"), push)
    run_sender(oslo_at(DAY, "08:40"), push)
    assert sorted(push.titles()) == ["Ola blir sen.", "Ola blir sen."]


def test_a_help_request_pushes_to_the_specialist_at_once(world):
    worker, specialist, _ = world
    add_device(specialist, "laptop")
    add_device(specialist, "phone")
    from worker_app.services import help as help_service

    request = help_service.ask(db.session, worker, "sad")
    db.session.commit()
    push = FakePush()
    run_sender(request.created_at + timedelta(seconds=30), push)
    assert push.titles() == ["Ola trenger hjelp", "Ola trenger hjelp"]  # both of her devices
    assert push.calls[0]["data"]["url"] == f"/staff/workers/{worker.id}"
    assert push.calls[0]["data"]["body"] == "Jeg er lei meg"


def test_turned_off_in_innstillinger_it_is_not_sent(world):
    worker, _, _ = world
    reminders.set_kind(db.session, worker, "get_ready", False)
    db.session.commit()
    add_shift(worker, DAY)
    add_device(worker)
    push = FakePush()
    for hhmm in ("08:05", "08:25"):
        run_sender(oslo_at(DAY, hhmm), push)
    assert push.titles() == ["Gå hjemme-fra nå"]


# The budget and quiet hours -------------------------------------------------------------------


def test_budget_and_quiet_hours_hold_under_a_day_with_many_changes(world, people):
    worker, specialist, _ = world
    add_device(worker)
    today = add_shift(worker, DAY, "09:00", "12:00")
    others = [add_shift(worker, DAY + timedelta(days=d), "09:00", "12:00") for d in range(2, 12)]
    push = FakePush()
    # 07:30: ten other shifts are changed, one after the other, each sent before the next.
    for i, shift in enumerate(others):
        moment = oslo_at(DAY, "07:30") + timedelta(minutes=i)
        schedule.move_shift_at(db.session, shift, by=specialist, starts_at=shift.starts_at + timedelta(hours=1),
                               ends_at=shift.ends_at + timedelta(hours=1))
        run_sender(moment, push)
    # Then the day's own moments.
    for minute in range(0, 60, 5):
        run_sender(oslo_at(DAY, "08:00") + timedelta(minutes=minute), push)
    assert len(push.calls) == reminders.DAILY_BUDGET
    # Today's get-ready and leave-home were kept room for; 4 of the 10 changes were told.
    assert push.titles() == ["Vakten er endret"] * 4 + ["Gjør deg klar", "Gå hjemme-fra nå"]
    assert reminders.read_left_token("test-secret", push.calls[-1]["data"]["left_token"])[1] == today.id
    assert reminders.pushes_today(db.session, worker.id, oslo_at(DAY, "20:00")) == 6
    skipped = [o for k, s, o in states(user_id=worker.id) if s == "skipped"]
    assert skipped and set(skipped) == {"budget"}


def test_quiet_hours_wait_until_7_except_for_a_shift_starting_then(world):
    worker, specialist, _ = world
    worker.travel_minutes = None  # "Gjør deg klar" 1 hour before
    db.session.commit()
    add_device(worker)
    early = add_shift(worker, DAY + timedelta(days=1), "06:00", "10:00")
    later = add_shift(worker, DAY + timedelta(days=2), "09:00", "12:00")
    push = FakePush()
    evening = oslo_at(DAY, "23:00")
    for shift in (early, later):
        schedule.move_shift_at(db.session, shift, by=specialist, starts_at=shift.starts_at,
                               ends_at=shift.ends_at + timedelta(hours=1))
    run_sender(evening, push)
    # The 06:00 shift is told at once; the other waits for the morning.
    assert len(push.calls) == 1 and "06:00" in push.calls[0]["data"]["body"]
    run_sender(oslo_at(DAY + timedelta(days=1), "05:00"), push)  # get ready for the 06:00 shift
    assert push.titles()[-1] == "Gjør deg klar"
    assert len(push.calls) == 2
    run_sender(oslo_at(DAY + timedelta(days=1), "07:00"), push)
    assert len(push.calls) == 3 and "09:00" in push.calls[-1]["data"]["body"]


# The push service's errors ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_says_is_gone_is_removed(world, status):
    worker, _, _ = world
    add_shift(worker, DAY)
    gone = add_device(worker, "old")
    kept = add_device(worker, "new")
    push = FakePush(status={gone.endpoint: [status]})
    run_sender(oslo_at(DAY, "08:05"), push)
    assert [d.id for d in db.session.query(PushSubscription)] == [kept.id]
    assert states(user_id=worker.id) == [("get_ready", "sent", "pushed")]


def test_too_big_is_sent_again_smaller(world):
    worker, _, _ = world
    add_shift(worker, DAY)
    device = add_device(worker)
    push = FakePush(status={device.endpoint: [413, 201]})
    run_sender(oslo_at(DAY, "08:25"), push)
    first, second = push.calls
    assert "actions" in first["data"] and "body" not in second["data"]
    assert second["data"]["title"] == "Gå hjemme-fra nå"
    assert states(user_id=worker.id) == [("leave_home", "sent", "pushed")]


@pytest.mark.parametrize("answer", [PushResult(429, retry_after=120), PushResult(503), PushResult(0)])
def test_busy_or_down_waits_and_tries_again_without_crashing(world, answer):
    worker, _, _ = world
    add_shift(worker, DAY)
    device = add_device(worker)
    push = FakePush(status={device.endpoint: [answer, 201]})
    start = oslo_at(DAY, "08:05")
    run_sender(start, push)
    assert states(user_id=worker.id) == [("get_ready", "queued", "retry")]
    db.session.refresh(device)
    assert device.wait_until > start
    run_sender(start + timedelta(seconds=30), push)  # still waiting: nothing goes to it
    assert len(push.calls) == 1
    run_sender(device.wait_until + timedelta(seconds=1), push)
    assert len(push.calls) == 2
    assert states(user_id=worker.id)[0][1] in ("sent", "skipped")


def test_a_second_claim_finds_nothing_the_first_took(world):
    worker, _, _ = world
    add_shift(worker, DAY)
    now = oslo_at(DAY, "08:05")
    reminders.plan(db.session, now)
    reminders.plan(db.session, now)  # twice: still one row
    db.session.commit()
    assert db.session.query(Reminder).count() == 1
    first = reminders.claim(db.session, now)
    db.session.commit()
    second = reminders.claim(db.session, now)
    db.session.commit()
    assert db.session.query(Reminder).filter_by(claim=first).count() == 1
    assert db.session.query(Reminder).filter_by(claim=second).count() == 0


def test_the_support_person_reads_it_on_their_start_page_until_it_is_withdrawn(app, client, sign_in, world):
    worker, _, supporter = world
    link = _grant_not_left(worker, supporter)
    add_shift(worker, DAY)
    add_device(supporter)
    run_sender(oslo_at(DAY, "08:35"), FakePush())
    sign_in(client, supporter)
    page = client.get("/support").text
    assert "Ola har ikke trykket «Jeg har gått». Vakten begynner kl. 09:00." in page
    consent.stop_permission(db.session, worker, link.id, Permission.NOTIFY_NOT_LEFT)
    db.session.commit()
    assert "Jeg har gått" not in client.get("/support").text


def test_without_vapid_keys_it_is_recorded_and_no_device_is_blamed(app, world):
    worker, _, _ = world
    add_shift(worker, DAY)
    device = add_device(worker)
    now = oslo_at(DAY, "08:05")
    reminders.plan(db.session, now)
    token = reminders.claim(db.session, now)
    db.session.commit()
    assert reminders.deliver(db.session, token, now) == {"no_keys": 1}
    db.session.commit()
    db.session.refresh(device)
    assert device.failures == 0


def test_an_event_the_worker_joined_is_told_the_day_before_and_a_new_task_at_once(world):
    from worker_app.models import Event, Signup
    from worker_app.services import tasks

    worker, specialist, _ = world
    add_device(worker)
    event = Event(title="Tur i skogen", place="Fløyen", starts_at=oslo_at(DAY, "12:00"),
                  ends_at=oslo_at(DAY, "15:00"))
    db.session.add(event)
    db.session.flush()
    db.session.add(Signup(event_id=event.id, worker_id=worker.id, state="going"))
    db.session.commit()
    push = FakePush()
    run_sender(oslo_at(DAY - timedelta(days=1), "11:59"), push)
    assert push.calls == []
    run_sender(oslo_at(DAY - timedelta(days=1), "12:00"), push)
    run_sender(oslo_at(DAY - timedelta(days=1), "12:01"), push)
    assert push.titles() == ["I morgen: Tur i skogen"]
    assert push.calls[0]["data"]["body"] == "Det begynner kl. 12:00."
    assert push.calls[0]["data"]["url"] == f"/events/{event.id}"

    checklist = tasks.create_checklist(db.session, specialist, "Fylle kaffe-maskinen", "2615")
    tasks.add_step(db.session, checklist, text="Fyll vann.", pictogram="2615", hint="")
    (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=specialist, on_date=DAY)
    db.session.commit()
    run_sender(oslo_at(DAY - timedelta(days=1), "12:05"), push)
    assert push.titles()[-1] == "Du har fått en ny oppgave"
    assert push.calls[-1]["data"]["body"] == "Fylle kaffe-maskinen"
    assert push.calls[-1]["data"]["url"] == f"/tasks/{assignment.id}"
    assert push.calls[-1]["headers"]["Urgency"] == "normal"


def test_a_place_from_the_waiting_list_is_told(world, people):
    from worker_app.models import Event
    from worker_app.services import events

    worker, _, _ = world
    other = db.session.get(User, people.second_worker.id)
    add_device(worker)
    event = Event(title="Bowling", place="Senteret", capacity=1, starts_at=oslo_at(DAY, "18:00"),
                  ends_at=oslo_at(DAY, "20:00"))
    db.session.add(event)
    db.session.commit()
    first = events.join(db.session, event.id, other, other)
    events.join(db.session, event.id, worker, worker)  # waiting
    db.session.commit()
    events.leave(db.session, event.id, first.id, other)
    db.session.commit()
    push = FakePush()
    run_sender(oslo_at(DAY - timedelta(days=3), "12:00"), push)
    assert push.titles() == ["Du har fått plass"]
    assert push.calls[0]["data"]["body"].startswith("Bowling, ")
