"""The guest form (issue 15, finding 12): the same answer whether or not a number is already
signed up, no second place for a known number, and a cap on guests per event."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from worker_app.extensions import db
from worker_app.models import Event, GuestEcho, Signup
from worker_app.services import guests

GUEST = {"name": "Mari Gjest", "phone": "912 34 567", "consent": "y"}


def invitation(app, people, capacity=None, guest_limit=20):
    start = datetime.now(UTC) + timedelta(days=6)
    with app.app_context():
        event = Event(title="Kafé", place="Sentrum", starts_at=start, ends_at=start + timedelta(hours=2),
                      invite_only=True, capacity=capacity, guest_limit=guest_limit,
                      created_by_id=people.organizer.id)
        db.session.add(event)
        db.session.commit()
        return event.id, "/invite/" + guests.invite_token(app.config["SECRET_KEY"], event)


def guest_rows(app, event_id):
    with app.app_context():
        return db.session.execute(select(Signup.guest_name, Signup.state).where(
            Signup.event_id == event_id).order_by(Signup.id)).all()


def comparable(html: str) -> str:
    """The page without its per-request parts (the CSRF token, the nonce of the scripts)."""
    import re
    return re.sub(r"[A-Za-z0-9_\-.]{24,}", "…", html)


@pytest.mark.parametrize("capacity", [None, 1])
def test_a_known_number_gets_the_same_answer_and_no_second_place(app, people, capacity):
    event_id, link = invitation(app, people, capacity=capacity)
    first = app.test_client().post(link, data=GUEST)
    # Someone else tries the same number (spelled another way) from another phone, and a new one.
    again = app.test_client().post(link, data={**GUEST, "phone": "+47 91234567"})
    new = app.test_client().post(link, data={**GUEST, "phone": "412 34 567"})
    assert first.status_code == again.status_code == new.status_code == 200
    assert comparable(again.text) == comparable(new.text)
    assert again.headers.get("Set-Cookie", "").split("=")[0] == new.headers.get("Set-Cookie", "").split("=")[0]
    # The known number is not doubled: one row for it, one for the new number.
    rows = guest_rows(app, event_id)
    assert len(rows) == 2
    if capacity == 1:  # the first has the one place; the new number waits, and so is the echo told
        assert [state for _name, state in rows] == ["going", "waiting"]
        assert "vente-listen" in again.text and "vente-listen" in new.text


def test_a_known_numbers_echo_can_cancel_without_touching_the_real_sign_up(app, people):
    event_id, link = invitation(app, people)
    app.test_client().post(link, data=GUEST)
    other = app.test_client()
    assert "Du er med, Ola." in other.post(link, data={**GUEST, "name": "Ola"}).text
    assert "Du er med, Ola." in other.get(link).text  # the same on the next visit
    other.post(link, data={"cancel": "1"})
    assert "Du er ikke med lenger." in other.get(link).text
    assert guest_rows(app, event_id) == [("Mari Gjest", "going")]  # the real one is still going
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(GuestEcho)) == 1


def test_the_answer_takes_as_long_for_a_known_and_a_new_number(app, people):
    _event_id, link = invitation(app, people, guest_limit=100)
    app.test_client().post(link, data=GUEST)

    def median(phone_of):
        times = []
        for i in range(9):
            started = time.perf_counter()
            assert app.test_client().post(link, data={**GUEST, "phone": phone_of(i)}).status_code == 200
            times.append(time.perf_counter() - started)
        return sorted(times)[4]

    known, new = median(lambda i: "91234567"), median(lambda i: f"4123456{i}")
    assert 0.33 < known / new < 3  # the same order of magnitude


def test_the_guest_places_can_run_out_and_the_page_says_so_simply(app, people):
    event_id, link = invitation(app, people, guest_limit=1)
    assert app.test_client().post(link, data=GUEST).status_code == 200
    late = app.test_client()
    page = late.get(link)
    assert "Det er ikke plass til flere gjester." in page.text and 'name="phone"' not in page.text
    refused = late.post(link, data={**GUEST, "phone": "412 34 567"})
    assert refused.status_code == 409 and "Spør den som inviterte deg." in refused.text
    # A known number gets the same answer when the places are gone: nothing to learn there either.
    known = app.test_client().post(link, data=GUEST)
    assert known.status_code == 409 and comparable(known.text) == comparable(refused.text)
    assert len(guest_rows(app, event_id)) == 1


def test_the_organizer_sets_the_guest_places_on_the_event_form(app, client, people, sign_in):
    sign_in(client, people.organizer)
    form = client.get("/organize/events/new").text
    assert 'name="guest_limit"' in form and 'value="20"' in form
    data = {"title": "Kino", "pictogram": "1F389", "day": (datetime.now(UTC) + timedelta(days=9)).date().isoformat(),
            "start": "18:00", "end": "20:00", "place": "Kinoen", "region": "0", "guest_limit": "-1"}
    bad = client.post("/organize/events/new", data=data)
    assert bad.status_code == 400 and "Skriv et antall gjester fra 0 til 1000." in bad.text
    assert client.post("/organize/events/new", data={**data, "guest_limit": "5"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Event.guest_limit).where(Event.title == "Kino")) == 5
