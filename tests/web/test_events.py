"""Aktiviteter through the Flask test client: workers, support persons, organizers and guests."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Event, Permission, Signup, User
from worker_app.services import schedule

IN_A_WEEK = (schedule.oslo(datetime.now(UTC)) + timedelta(days=7)).date().isoformat()


def make_event(app, capacity=None, by=None, **fields):
    """An event a week from now, made by `by` (the organizer who then manages it)."""
    start = datetime.now(UTC) + timedelta(days=7)
    with app.app_context():
        event = Event(title=fields.pop("title", "Grilling i parken"), place="Parken",
                      created_by_id=by.id if by else None, pictogram="1F356", starts_at=start,
                      ends_at=start + timedelta(hours=3),
                      capacity=capacity, description="Vi griller.", **fields)
        db.session.add(event)
        db.session.commit()
        return event.id


def test_worker_joins_and_leaves_in_one_tap(app, client, people, sign_in):
    event_id = make_event(app)
    sign_in(client, people.worker)
    page = client.get("/events").text
    assert "Grilling i parken" in page and "Jeg vil være med" in page
    joined = client.post(f"/events/{event_id}/join")
    assert joined.status_code == 302
    page = client.get(f"/events/{event_id}").text
    assert "Du er med." in page and "Jeg kan ikke komme" in page and "Legg til i kalenderen" in page
    assert "Grilling i parken" in client.get("/").text  # the next event on I dag
    client.post(f"/events/{event_id}/leave")
    assert "Du er ikke med lenger." in client.get(f"/events/{event_id}").text


def test_full_event_waiting_list_and_the_place_notice(app, client, people, sign_in):
    event_id = make_event(app, capacity=1)
    first, second = app.test_client(), app.test_client()
    sign_in(first, people.worker)
    sign_in(second, people.second_worker)
    first.post(f"/events/{event_id}/join")
    page = second.get("/events").text
    assert "Fullt" in page and "Sett meg på vente-listen" in page
    second.post(f"/events/{event_id}/join")
    assert "På vente-listen, nummer 1" in second.get("/events").text
    first.post(f"/events/{event_id}/leave")
    today = second.get("/").text
    assert "Du har fått plass: Grilling i parken" in today
    assert "Du er med" in second.get("/events").text


def test_cancelled_and_closed_events_answer_kindly(app, client, people, sign_in):
    cancelled = make_event(app, cancelled_at=datetime.now(UTC))
    late = make_event(app, title="Spill-kveld",
                      signup_deadline=datetime.now(UTC) - timedelta(hours=1))
    sign_in(client, people.worker)
    assert "Avlyst" in client.get("/events").text
    client.post(f"/events/{late}/join")
    assert "Det er for sent å melde seg på." in client.get(f"/events/{late}").text
    assert client.post(f"/events/{cancelled}/join").status_code == 302
    with app.app_context():
        assert db.session.query(Signup).count() == 0


def test_events_a_worker_may_not_see_are_404(app, client, people, sign_in, make_user):
    hidden = make_event(app, invite_only=True)
    with app.app_context():
        from worker_app.models import Region

        north = Region(name="Nord")
        db.session.add(north)
        db.session.commit()
        elsewhere = make_event(app, title="Tur i nord", region_id=north.id)
    sign_in(client, people.worker)
    for event_id in (hidden, elsewhere):
        assert client.get(f"/events/{event_id}").status_code == 404
        assert client.post(f"/events/{event_id}/join").status_code == 404
    assert client.get("/events/999999").status_code == 404


def test_support_person_signs_up_only_with_permission(app, client, people, sign_in, make_user,
                                                      support_link):
    event_id = make_event(app)
    sign_in(client, people.supporter)  # may see shifts only
    assert client.get(f"/support/workers/{people.worker.id}/events").status_code == 403
    helper = make_user("support", "Tor Vik")
    support_link(people.worker, helper, Permission.SIGN_UP_EVENTS)
    other = app.test_client()
    sign_in(other, helper)
    assert "Aktivitetene til Ola" in other.get("/support").text
    other.post(f"/support/workers/{people.worker.id}/events/{event_id}/join")
    with app.app_context():
        signup = db.session.query(Signup).one()
        assert signup.worker_id == people.worker.id and signup.signed_up_by_id == helper.id
    worker = app.test_client()
    sign_in(worker, people.worker)
    assert "Noen har meldt deg på." in worker.get(f"/events/{event_id}").text


def test_organizer_makes_an_event_with_clear_errors(app, client, people, sign_in):
    sign_in(client, people.organizer)
    base = {"title": "Tur i skogen", "description": "Vi går en tur.", "pictogram": "1F332",
            "day": IN_A_WEEK, "start": "11:00", "end": "14:00", "place": "Fløyen",
            "meeting_point": "", "capacity": "", "deadline": "", "region": "0"}
    bad = client.post("/organize/events/new", data={**base, "end": "10:00"})
    assert bad.status_code == 400 and "Slutten må være etter starten." in bad.text
    assert 'value="Tur i skogen"' in bad.text
    hard = client.post("/organize/events/new", data={
        **base, "capacity": "mange",
        "description": "Arbeidsmiljøvurderinger omfatter tilretteleggingsforpliktelser."})
    assert "Skriv et antall plasser" in hard.text and "Langt ord" in hard.text
    made = client.post("/organize/events/new", data={**base, "capacity": "1"})
    assert made.status_code == 302
    with app.app_context():
        event = db.session.query(Event).one()
        worker = db.session.get(User, people.worker.id)
        second = db.session.get(User, people.second_worker.id)
        from worker_app.services import events

        events.join(db.session, event.id, worker, by=worker)
        events.join(db.session, event.id, second, by=second)
        event_id = event.id
    attendees = client.get(f"/organize/events/{event_id}").text
    assert "Påmeldt: 1" in attendees and "Vente-liste: 1" in attendees and "/invite/" in attendees
    too_small = client.post(f"/organize/events/{event_id}/edit", data={**base, "capacity": "0"})
    assert too_small.status_code == 400
    csv = client.get(f"/organize/events/{event_id}/attendees.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Navn,Status") and "Ola Johansen,Påmeldt" in lines[1]
    assert "Avlyse aktiviteten?" in client.get(f"/organize/events/{event_id}/cancel").text
    client.post(f"/organize/events/{event_id}/cancel")
    worker_client = app.test_client()
    sign_in(worker_client, people.worker)
    assert "Avlyst: Tur i skogen" in worker_client.get("/").text


def test_guest_signs_up_by_link_and_cancels_on_the_same_link(app, client, people, sign_in):
    event_id = make_event(app, invite_only=True, capacity=5, by=people.organizer)
    staff = app.test_client()
    sign_in(staff, people.organizer)
    page = staff.get(f"/organize/events/{event_id}").text
    link = page.split('id="invite-link" type="text" readonly value="http://localhost', 1)[1].split('"')[0]
    guest = app.test_client()
    form = guest.get(link).text
    assert "Du er invitert." in form and "Ja, de frivillige kan lagre navnet" in form
    bad = guest.post(link, data={"name": "Mari Gjest", "phone": "123", "consent": "y"})
    assert bad.status_code == 400 and "8 sifre" in bad.text and 'value="Mari Gjest"' in bad.text
    no_consent = guest.post(link, data={"name": "Mari Gjest", "phone": "912 34 567"})
    assert no_consent.status_code == 400 and "Du må si ja" in no_consent.text
    ok = guest.post(link, data={"name": "Mari Gjest", "phone": "912 34 567", "consent": "y"})
    assert "Du er med, Mari Gjest." in ok.text
    assert "Du er med, Mari Gjest." in guest.get(link).text
    guest.post(link, data={"cancel": "1"})
    assert "Du er ikke med lenger." in guest.get(link).text
    stranger = app.test_client()
    assert "Du er med" not in stranger.get(link).text
    assert app.test_client().get(f"/invite/{event_id}-forged").status_code == 404


def test_event_calendar_file(app, client, people, sign_in):
    from icalendar import Calendar

    event_id = make_event(app)
    sign_in(client, people.worker)
    feed = Calendar.from_ical(client.get(f"/events/{event_id}.ics").data)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Grilling i parken"]


@pytest.mark.parametrize("path", ["/events", "/organize", "/", "/organize/events/{event}"])
def test_event_pages_use_the_same_queries_with_1_and_300(app, client, people, sign_in, path):
    event_id = make_event(app, capacity=400, by=people.organizer)
    role = people.organizer if path.startswith("/organize") else people.worker
    sign_in(client, role)
    url = path.format(event=event_id)

    def count():
        client.get(url)
        with count_queries(app) as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    one = count()
    with app.app_context():
        start = datetime.now(UTC) + timedelta(days=2)
        for i in range(300):
            db.session.add(Event(title=f"Treff {i}", place="Huset", starts_at=start + timedelta(hours=i),
                                 ends_at=start + timedelta(hours=i + 1), created_by_id=people.organizer.id))
            worker = User(name=f"Arbeidstaker {i}", role="worker")
            db.session.add(worker)
            db.session.flush()
            db.session.add(Signup(event_id=event_id, worker_id=worker.id, state="going"))
        db.session.add(Signup(event_id=event_id, worker_id=people.worker.id, state="going"))
        db.session.commit()
    many = count()
    assert one == many <= 8


def test_guest_data_is_purged_by_the_daily_command(app, runner):
    from worker_app.services import guests

    event_id = make_event(app, invite_only=True)
    with app.app_context():
        guests.guest_join(db.session, event_id, name="Mari Gjest", phone="91234567", consent=True)
        event = db.session.get(Event, event_id)
        event.starts_at = datetime.now(UTC) - timedelta(days=3)
        event.ends_at = datetime.now(UTC) - timedelta(days=2)
        db.session.commit()
    result = runner.invoke(args=["events", "purge-guests"])
    assert result.exit_code == 0 and "guests deleted: 1" in result.output
    with app.app_context():
        assert db.session.query(Signup).count() == 0


@pytest.mark.fresh_database
def test_the_guest_form_is_rate_limited(app, people):
    from worker_app.extensions import limiter

    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    event_id = make_event(app, invite_only=True)
    with app.app_context():
        from worker_app.services import guests

        token = guests.invite_token(app.config["SECRET_KEY"], db.session.get(Event, event_id))
    guest = app.test_client()
    codes = [guest.post(f"/invite/{token}", data={"name": "x", "phone": "1"}).status_code
             for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_organizer_uploads_a_photo_that_workers_see(app, client, people, sign_in, tmp_path):
    import io

    from tests.unit.test_photos import jpeg_with_gps

    app.config["PHOTO_DIR"] = str(tmp_path / "photos")
    sign_in(client, people.organizer)
    base = {"title": "Tur i skogen", "description": "Vi går en tur.", "pictogram": "1F332",
            "day": IN_A_WEEK, "start": "11:00", "end": "14:00", "place": "Fløyen",
            "meeting_point": "", "capacity": "", "deadline": "", "region": "0"}
    bad = client.post("/organize/events/new", content_type="multipart/form-data",
                      data={**base, "photo": (io.BytesIO(b"not a picture"), "tur.jpg")})
    assert bad.status_code == 400 and "Vi kan ikke lese bildet" in bad.text
    assert 'value="Tur i skogen"' in bad.text and 'aria-invalid="true"' in bad.text
    ok = client.post("/organize/events/new", content_type="multipart/form-data",
                     data={**base, "photo": (io.BytesIO(jpeg_with_gps()), "tur.jpg")})
    assert ok.status_code == 302
    worker = app.test_client()
    sign_in(worker, people.worker)
    page = worker.get("/events").text
    src = page.split('class="event-photo" src="', 1)[1].split('"', 1)[0]
    photo = worker.get(src)
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert "immutable" in photo.headers["Cache-Control"]
    photo.close()


def test_the_list_shows_ten_events_and_more_on_request(app, client, people, sign_in):
    with app.app_context():
        start = datetime.now(UTC) + timedelta(days=1)
        made = [Event(title=f"Tur {i:02d}", place="Skogen", starts_at=start + timedelta(days=i),
                      ends_at=start + timedelta(days=i, hours=2)) for i in range(12)]
        db.session.add_all(made)
        db.session.commit()
        eleventh = made[10].id
    sign_in(client, people.worker)
    first = client.get("/events").text
    assert first.count('class="event-card') == 10 and "Tur 09" in first and "Tur 10" not in first
    more = re.search(r'href="([^"]*show=20[^"]*)"[^>]*>.*?Vis flere aktiviteter', first, re.S).group(1)
    assert more.endswith(f"#event-{eleventh}")  # straight to the first one not seen yet
    second = client.get(more.replace("&amp;", "&")).text
    assert second.count('class="event-card') == 12 and "Vis flere aktiviteter" not in second
    assert client.get("/events?show=99999999999").status_code == 200
