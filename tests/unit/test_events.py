import threading
from datetime import UTC, datetime, timedelta

import pytest

from worker_app.extensions import db
from worker_app.models import Event, Notice, Signup, User
from worker_app.services import events, guests, schedule
from worker_app.services.errors import Invalid, NotFound

IN_A_WEEK = (schedule.oslo(datetime.now(UTC)) + timedelta(days=7)).date().isoformat()


def make_event(organizer, capacity="", **changes):
    data = events.EventInput(title="Grilling", description="Vi griller.", pictogram="1F356",
                             day=IN_A_WEEK, start="16:00", end="19:00", place="Parken",
                             capacity=capacity)
    for key, value in changes.items():
        setattr(data, key, value)
    return events.save_event(db.session, data, organizer)


def workers(n):
    people = [User(name=f"Arbeidstaker {i}", role="worker") for i in range(n)]
    db.session.add_all(people)
    db.session.commit()
    return people


@pytest.fixture
def organizer(app, people):
    with app.app_context():
        yield db.session.get(User, people.organizer.id)


def states(event):
    rows = db.session.query(Signup).filter_by(event_id=event.id).order_by(Signup.queued_at, Signup.id)
    return [(s.worker_id, s.state) for s in rows]


def test_full_event_puts_people_on_the_waiting_list_and_promotes_in_order(organizer):
    event = make_event(organizer, capacity="2")
    a, b, c, d = workers(4)
    for person in (a, b, c, d):
        events.join(db.session, event.id, person, by=person)
    assert [s for _, s in states(event)] == ["going", "going", "waiting", "waiting"]
    assert events.view_of(db.session, d, event.id).position == 2
    events.leave(db.session, event.id, events.view_of(db.session, a, event.id).signup.id, by=a)
    view_c = events.view_of(db.session, c, event.id)
    assert view_c.signup.state == "going"
    assert events.view_of(db.session, d, event.id).position == 1
    notices = db.session.query(Notice).filter_by(user_id=c.id).all()
    assert [n.kind for n in notices] == ["event_place"]


def test_joining_twice_is_the_same_as_once(organizer):
    event = make_event(organizer, capacity="5")
    (a,) = workers(1)
    events.join(db.session, event.id, a, by=a)
    events.join(db.session, event.id, a, by=a)
    assert db.session.query(Signup).count() == 1


def test_capacity_below_the_number_going_is_refused_and_more_room_lets_people_in(organizer):
    event = make_event(organizer, capacity="2")
    people = workers(3)
    for person in people:
        events.join(db.session, event.id, person, by=person)
    data = events.EventInput(title="Grilling", description="", pictogram="1F356", day=IN_A_WEEK,
                             start="16:00", end="19:00", place="Parken", capacity="1")
    with pytest.raises(Invalid) as problem:
        events.save_event(db.session, data, organizer, event)
    assert problem.value.field == "capacity" and "2" in str(problem.value.message)
    data.capacity = "3"
    events.save_event(db.session, data, organizer, db.session.get(Event, event.id))
    assert [s for _, s in states(event)] == ["going", "going", "going"]


def test_cancelled_started_and_past_deadline_events_refuse_sign_ups(organizer):
    (a,) = workers(1)
    cancelled = make_event(organizer)
    events.cancel_event(db.session, cancelled.id, organizer)
    with pytest.raises(Invalid, match="avlyst"):
        events.join(db.session, cancelled.id, a, by=a)
    started = make_event(organizer, day=schedule.oslo(datetime.now(UTC) - timedelta(days=1)).date().isoformat())
    with pytest.raises(Invalid, match="startet"):
        events.join(db.session, started.id, a, by=a)
    late = make_event(organizer)
    late.signup_deadline = datetime.now(UTC) - timedelta(hours=1)
    db.session.commit()
    with pytest.raises(Invalid, match="for sent"):
        events.join(db.session, late.id, a, by=a)


def test_cancelling_an_event_tells_everyone_signed_up(organizer):
    event = make_event(organizer, capacity="1")
    a, b = workers(2)
    events.join(db.session, event.id, a, by=a)
    events.join(db.session, event.id, b, by=b)
    events.cancel_event(db.session, event.id, organizer)
    assert sorted(n.user_id for n in db.session.query(Notice).filter_by(kind="event_cancelled")) == sorted([a.id, b.id])


@pytest.mark.parametrize(("name", "phone", "consent", "field"), [
    ("", "91234567", True, "name"),
    ("Mari", "1234", True, "phone"),
    ("Mari", "12345678", True, "phone"),   # Norwegian mobile numbers start with 4 or 9
    ("Mari", "91234567", False, "consent"),
])
def test_guest_input_is_named_beside_the_field(organizer, name, phone, consent, field):
    event = make_event(organizer, invite_only=True)
    with pytest.raises(Invalid) as problem:
        guests.guest_join(db.session, event.id, name=name, phone=phone, consent=consent)
    assert problem.value.field == field
    assert db.session.query(Signup).count() == 0


def test_guest_signs_up_cancels_with_the_same_secret_and_is_deleted_after_the_event(organizer):
    event = make_event(organizer, invite_only=True)
    signup, secret = guests.guest_join(db.session, event.id, name="Mari Gjest",
                                       phone="+47 912 34 567", consent=True)
    assert signup.guest_phone == "+4791234567" and secret not in (signup.guest_secret_hash or "")
    assert guests.guest_signup(db.session, event, secret).id == signup.id
    assert guests.guest_signup(db.session, event, "guess") is None
    assert guests.purge_guests(db.session, datetime.now(UTC)) == 0
    assert guests.purge_guests(db.session, event.ends_at + timedelta(days=2)) == 1
    assert db.session.query(Signup).count() == 0


def test_invitation_link_is_an_hmac(organizer):
    event = make_event(organizer, invite_only=True)
    token = guests.invite_token("secret", event)
    assert guests.event_for_invite(db.session, "secret", token).id == event.id
    for bad in (token[:-1] + "x", "nope", f"{event.id}-"):
        with pytest.raises(NotFound):
            guests.event_for_invite(db.session, "secret", bad)


def test_invite_only_events_are_hidden_from_workers_who_are_not_on_them(organizer):
    (a,) = workers(1)
    hidden = make_event(organizer, invite_only=True)
    shown = make_event(organizer)
    ids = [v.event.id for v in events.coming_for(db.session, a, datetime.now(UTC))]
    assert ids == [shown.id] and hidden.id not in ids


@pytest.mark.fresh_database
def test_fifty_people_at_once_never_exceed_the_capacity(app, organizer):
    """50 workers press 'Jeg vil være med' at the same moment, each in its own transaction."""
    event = make_event(organizer, capacity="10")
    people = workers(50)
    ids = [p.id for p in people]
    event_id = event.id
    start = threading.Barrier(len(ids), timeout=30)
    errors = []

    def press(worker_id):
        with app.app_context():
            try:
                worker = db.session.get(User, worker_id)
                db.session.commit()  # give the connection back: the pool is smaller than 50
                start.wait()
                events.join(db.session, event_id, worker, by=worker)
                db.session.commit()  # the request's one commit (services only flush)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=press, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    rows = db.session.query(Signup).filter_by(event_id=event_id).order_by(Signup.queued_at, Signup.id).all()
    assert len(rows) == 50
    assert sum(r.state == "going" for r in rows) == 10
    waiting = [r for r in rows if r.state == "waiting"]
    assert len(waiting) == 40
    # First come, first served: everyone going got in before everyone waiting.
    last_in = max(r.queued_at for r in rows if r.state == "going")
    assert all(r.queued_at >= last_in for r in waiting)
