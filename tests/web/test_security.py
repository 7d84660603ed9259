"""Findings of a security review, each kept fixed by a test."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import PASSWORD, new_sign_in_token
from worker_app.extensions import db
from worker_app.models import Event, Notice, Permission, SignInLink, User
from worker_app.services import events
from worker_app.web import DEVICE_COOKIE


def test_a_specialist_cannot_sign_in_as_a_support_person_of_someone_elses_worker(
        app, client, people, sign_in, support_link):
    # Anne helps Ola (Kari's worker) and also Jonas (Per's worker).
    support_link(people.stranger_worker, people.supporter, Permission.SEE_SHIFTS)
    sign_in(client, people.specialist)
    assert client.post(f"/staff/people/{people.supporter.id}/sign-in-link").status_code == 403


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example",
                                    "https://evil.example/", "/%0d%0a/evil.example"])
def test_no_open_redirect_after_sign_in(client, people, target):
    response = client.post(f"/login?next={target}",
                           data={"email": people.specialist.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/staff"


def test_five_wrong_picture_codes_sign_the_phone_out(app, client, people, sign_in):
    sign_in(client, people.worker)
    client.post("/settings/picture-code", data={"pictures": ["dog", "star", "fish"]})
    client.delete_cookie("session")
    client.get("/")  # restored from the device cookie, and locked
    for _ in range(4):
        assert client.post("/unlock", data={"pictures": ["cat", "car", "house"]}).status_code == 400
    last = client.post("/unlock", data={"pictures": ["cat", "car", "house"]})
    assert last.status_code == 302 and last.location == "/signed-out"
    assert client.get_cookie(DEVICE_COOKIE) is None
    assert client.get("/").status_code == 401


def test_sign_out_everywhere_also_ends_links_not_yet_used(app, client, people, sign_in):
    spare = new_sign_in_token(app, people.worker)  # a second SMS on the lost phone
    sign_in(client, people.worker)
    client.post("/logout-everywhere")
    assert app.test_client().get(f"/signin/{spare}").status_code == 410


def test_support_notices_go_when_the_worker_stops_sharing_shifts(app, client, people, sign_in):
    with app.app_context():
        db.session.add(Notice(user_id=people.supporter.id, worker_id=people.worker.id,
                              kind="shift_changed"))
        db.session.commit()
    worker = app.test_client()
    sign_in(worker, people.worker)
    worker.post(f"/sharing/{people.link_id}/stop/see_shifts")
    with app.app_context():
        assert db.session.query(Notice).filter_by(user_id=people.supporter.id).count() == 0


def make_event(app):
    start = datetime.now(UTC) + timedelta(days=5)
    with app.app_context():
        event = Event(title="Kafé", place="Sentrum", starts_at=start,
                      ends_at=start + timedelta(hours=2), invite_only=True)
        db.session.add(event)
        db.session.commit()
        return event.id


def test_a_guest_number_signs_up_once_and_names_never_run_as_formulas(app, people, sign_in):
    event_id = make_event(app)
    with app.app_context():
        events.guest_join(db.session, event_id, name='=HYPERLINK("http://x")', phone="91234567",
                          consent=True)
        with pytest.raises(Exception, match="allerede"):
            events.guest_join(db.session, event_id, name="Igjen", phone="912 34 567", consent=True)
    organizer = app.test_client()
    sign_in(organizer, people.organizer)
    csv = organizer.get(f"/organize/events/{event_id}/attendees.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


def test_volunteers_do_not_learn_who_supports_whom(app, people, sign_in, make_user, support_link):
    helper = make_user("support", "Tor Vik")
    support_link(people.worker, helper, Permission.SIGN_UP_EVENTS)
    start = datetime.now(UTC) + timedelta(days=5)
    with app.app_context():
        event = Event(title="Tur", place="Skogen", starts_at=start, ends_at=start + timedelta(hours=2))
        db.session.add(event)
        db.session.commit()
        events.join(db.session, event.id, db.session.get(User, people.worker.id),
                    by=db.session.get(User, helper.id))
        event_id = event.id
    organizer = app.test_client()
    sign_in(organizer, people.organizer)
    page = organizer.get(f"/organize/events/{event_id}").text
    assert "Tor Vik" not in page and "meldt på av en støtteperson" in page


@pytest.mark.parametrize("path", ["/calendar/²-x.ics", "/invite/²-x", "/events/99999999999999999999",
                                  "/staff/workers/99999999999999999999"])
def test_odd_numbers_in_urls_are_404_not_500(client, people, sign_in, path):
    sign_in(client, people.worker)
    assert client.get(path).status_code in (403, 404)


def test_odd_numbers_in_forms_and_cookies_are_not_500(app, client, people, sign_in):
    sign_in(client, people.worker)
    assert client.post("/learn/trygghets-nummeret/quiz/1", data={"answer": "²"}).status_code == 400
    anonymous = app.test_client()
    anonymous.set_cookie(DEVICE_COOKIE, "².secret")
    assert anonymous.get("/").status_code == 401
    staff = app.test_client()
    sign_in(staff, people.specialist)
    bad_date = staff.post(f"/staff/workers/{people.worker.id}/shifts",
                          data={"shift-day": "0001-01-01", "shift-start": "00:10",
                                "shift-end": "03:00"})
    assert bad_date.status_code == 400


def test_a_new_role_signs_the_person_out_everywhere(app, client, people, sign_in):
    supporter_phone = app.test_client()
    sign_in(supporter_phone, people.supporter)
    admin = app.test_client()
    sign_in(admin, people.admin)
    admin.post(f"/admin/users/{people.supporter.id}", data={
        "name": "Anne Johansen", "role": "specialist", "region": "0", "email": "anne@test.no",
        "password": "langt-nok-passord"})
    supporter_phone.delete_cookie("session")
    assert supporter_phone.get("/staff").status_code == 302  # to the password sign-in
    with app.app_context():
        assert db.session.query(SignInLink).filter(SignInLink.used_at.is_(None),
                                                   SignInLink.expires_at > datetime.now(UTC)).count() == 0


def test_a_lesson_is_not_done_by_answering_only_the_last_question(client, people, sign_in):
    sign_in(client, people.worker)
    client.post("/learn/trygghets-nummeret/quiz/2", data={"answer": "0"})
    assert "<span>Ferdig</span>" not in client.get("/learn").text
    client.post("/learn/trygghets-nummeret/quiz/1", data={"answer": "0"})
    assert "<span>Ferdig</span>" in client.get("/learn").text


def test_shared_links_come_from_base_url_not_the_host_header(app, client, people, sign_in):
    # A forged Host header must not turn the worker's calendar address into someone else's.
    sign_in(client, people.worker)
    cookie = client.get_cookie("session").value
    forged = app.test_client(use_cookies=False)
    page = forged.get("/shifts/calendar", headers={"Host": "evil.example", "Cookie": f"session={cookie}"}).text
    assert "evil.example" not in page
    assert 'value="http://localhost/calendar/' in page and "webcal://localhost/calendar/" in page


def test_production_is_https_only(monkeypatch):
    from worker_app import create_app
    from worker_app.config import Config

    class Production(Config):
        ENV_NAME = "production"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        SECRET_KEY = "x" * 40
        SESSION_COOKIE_SECURE = True

    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(Production, {"BASE_URL": "http://example.no"})
    app = create_app(Production, {"BASE_URL": "https://example.no", "TRUSTED_HOSTS": ["example.no"]})
    client = app.test_client()
    response = client.get("/healthz", base_url="https://example.no")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Another Host is refused before any view runs.
    assert client.get("/healthz", base_url="https://evil.example").status_code == 400


def test_sql_errors_never_carry_the_values(app, people):
    # A failed statement's message goes to the log: it shows the SQL, not the e-mail address.
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        db.session.add(User(name="Kopi", role="specialist", email="hemmelig.person@test.no"))
        db.session.flush()
        db.session.add(User(name="Kopi 2", role="specialist", email="hemmelig.person@test.no"))
        with pytest.raises(IntegrityError) as caught:
            db.session.flush()
        db.session.rollback()
    assert "hemmelig.person" not in str(caught.value)
    assert "parameters hidden" in str(caught.value)


def test_a_new_sign_in_link_ends_the_older_unused_ones(app, client, people):
    first = new_sign_in_token(app, people.worker)
    second = new_sign_in_token(app, people.worker)
    assert client.post(f"/signin/{first}").status_code != 302
    assert client.post(f"/signin/{second}").status_code == 302


def test_signing_out_everywhere_ends_the_calendar_address(app, client, people, sign_in):
    sign_in(client, people.worker)
    page = client.get("/shifts/calendar").text
    feed = page.split('value="http://localhost', 1)[1].split('"', 1)[0]
    assert client.get(feed).status_code == 200
    client.post("/logout-everywhere")
    assert client.get(feed).status_code == 404
