"""Findings of a security review, each kept fixed by a test."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, new_sign_in_token
from worker_app.extensions import db
from worker_app.models import Event, Notice, Permission, SignInLink, Signup, User
from worker_app.services import events, guests
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


def make_event(app, by=None):
    start = datetime.now(UTC) + timedelta(days=5)
    with app.app_context():
        event = Event(title="Kafé", place="Sentrum", starts_at=start, created_by_id=by.id if by else None,
                      ends_at=start + timedelta(hours=2), invite_only=True)
        db.session.add(event)
        db.session.commit()
        return event.id


def test_a_guest_number_signs_up_once_and_names_never_run_as_formulas(app, people, sign_in):
    event_id = make_event(app, by=people.organizer)
    with app.app_context():
        guests.guest_join(db.session, event_id, name='=HYPERLINK("http://x")', phone="91234567",
                          consent=True)
        guests.guest_join(db.session, event_id, name="Igjen", phone="912 34 567", consent=True)
        assert db.session.scalar(select(func.count()).select_from(Signup).where(
            Signup.event_id == event_id)) == 1
    organizer = app.test_client()
    sign_in(organizer, people.organizer)
    csv = organizer.get(f"/organize/events/{event_id}/attendees.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


def test_volunteers_do_not_learn_who_supports_whom(app, people, sign_in, make_user, support_link):
    helper = make_user("support", "Tor Vik")
    support_link(people.worker, helper, Permission.SIGN_UP_EVENTS)
    start = datetime.now(UTC) + timedelta(days=5)
    with app.app_context():
        event = Event(title="Tur", place="Skogen", starts_at=start, ends_at=start + timedelta(hours=2),
                      created_by_id=people.organizer.id)
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
    # A failed statement goes to the log with its traceback: the SQL, never the e-mail address
    # (PostgreSQL repeats the value in its message: "Key (email)=(…) already exists").
    import logging

    from sqlalchemy.exc import IntegrityError

    written: list[str] = []
    handler = logging.Handler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.emit = lambda record: written.append(handler.format(record))
    with app.app_context():
        db.session.add(User(name="Kopi", role="specialist", email="hemmelig.person@test.no"))
        db.session.flush()
        db.session.add(User(name="Kopi 2", role="specialist", email="hemmelig.person@test.no"))
        app.logger.addHandler(handler)
        disabled, app.logger.disabled = app.logger.disabled, False  # whatever an earlier test did
        try:
            with pytest.raises(IntegrityError):
                try:
                    db.session.flush()
                except IntegrityError:
                    app.logger.exception("Unhandled error")  # as web._server_error does
                    raise
        finally:
            app.logger.removeHandler(handler)
            app.logger.disabled = disabled
            db.session.rollback()
    assert written and "Unhandled error" in written[0] and "INSERT INTO" in written[0]
    assert "hemmelig.person" not in written[0]
    assert "Traceback" in written[0]  # the traceback stays, for whoever mends it


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


@pytest.mark.parametrize("who", ["worker", "specialist"])
def test_logging_out_ends_every_copy_of_the_session(app, client, people, sign_in, who):
    sign_in(client, getattr(people, who))
    home = "/" if who == "worker" else "/staff"
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)  # the session cookie alone
    assert copy.get(home).status_code == 200
    client.post("/logout")
    assert copy.get(home).status_code in (302, 401)


def test_an_old_copy_of_the_cookie_gives_no_fresh_picture_code_tries(app, client, people, sign_in):
    sign_in(client, people.worker)
    client.post("/settings/picture-code", data={"pictures": ["dog", "star", "fish"]})
    client.delete_cookie("session")
    client.get("/")  # restored from the device cookie, and locked
    snapshot = client.get_cookie("session").value
    for _ in range(4):
        assert client.post("/unlock", data={"pictures": ["cat", "car", "house"]}).status_code == 400
        client.set_cookie("session", snapshot)  # replay the cookie from before the tries
    last = client.post("/unlock", data={"pictures": ["cat", "car", "house"]})
    assert last.status_code == 302 and last.location == "/signed-out"


def test_a_new_password_ends_the_old_sessions(app, client, people, sign_in):
    sign_in(client, people.specialist)
    admin = app.test_client()
    sign_in(admin, people.admin)
    with app.app_context():
        from worker_app.services import people as people_service

        person = db.session.get(User, people.specialist.id)
        people_service.save_user(db.session, actor=db.session.get(User, people.admin.id), user=person,
                                 name=person.name, role="specialist", email=person.email,
                                 password="a-brand-new-password")
        db.session.commit()
    assert client.get("/staff").status_code == 302


def _restore(app, cookie_value):
    """A browser that has only the device cookie (its session cookie is gone)."""
    phone = app.test_client()
    phone.set_cookie(DEVICE_COOKIE, cookie_value)
    return phone


def test_a_copied_device_cookie_signs_the_phone_out_and_the_worker_is_told(app, client, people, sign_in):
    from worker_app.models import Device

    sign_in(client, people.worker)
    copied = client.get_cookie(DEVICE_COOKIE).value  # a thief copies the cookie
    owner = _restore(app, copied)
    assert owner.get("/").status_code == 200  # the owner's phone comes back: the secret rotates
    with app.app_context():  # ... and a while passes
        device = db.session.scalar(db.select(Device).where(Device.user_id == people.worker.id))
        device.rotated_at = device.rotated_at - timedelta(minutes=5)
        db.session.commit()
    thief = _restore(app, copied)
    assert thief.get("/").status_code == 401
    with app.app_context():
        device = db.session.scalar(db.select(Device).where(Device.user_id == people.worker.id))
        assert device.revoked_at is not None and device.reuse_detected_at is not None
    owner.delete_cookie("session")
    assert owner.get("/").status_code == 401  # neither copy can be trusted now
    sign_in(client, people.worker)  # a new link from the job specialist
    assert "Vi har logget ut en annen telefon." in client.get("/").text
    assert "Vi har logget ut en annen telefon." not in client.get("/").text  # told once


def test_two_requests_at_once_from_one_phone_are_not_a_copy(app, client, people, sign_in):
    sign_in(client, people.worker)
    cookie = client.get_cookie(DEVICE_COOKIE).value
    assert _restore(app, cookie).get("/").status_code == 200
    # The second tab's request, a moment later, still carries the old secret: refused, not revoked.
    assert _restore(app, cookie).get("/").status_code == 401
    with app.app_context():
        from worker_app.models import Device

        device = db.session.scalar(db.select(Device).where(Device.user_id == people.worker.id))
        assert device.revoked_at is None and device.reuse_detected_at is None


def test_the_worker_sees_their_phones_and_signs_one_out(app, client, people, sign_in):
    sign_in(client, people.worker)
    other = app.test_client()
    sign_in(other, people.worker)  # a second phone
    page = client.get("/sharing").text
    assert "Telefoner og PC-er" in page and ": denne." in page
    assert page.count("Logg ut denne") == 1  # only the other one
    with app.app_context():
        from worker_app.models import Device

        theirs = db.session.scalars(db.select(Device.id).where(Device.user_id == people.worker.id)
                                    .order_by(Device.id)).all()
    done = client.post(f"/sharing/devices/{theirs[-1]}/sign-out")
    assert done.status_code == 302
    assert other.get("/").status_code == 401
    assert client.get("/").status_code == 200


def test_nobody_signs_out_someone_elses_phone(app, client, people, sign_in):
    from worker_app.models import Device

    other = app.test_client()
    sign_in(other, people.second_worker)
    with app.app_context():
        device_id = db.session.scalar(db.select(Device.id).where(Device.user_id == people.second_worker.id))
    sign_in(client, people.worker)
    assert client.post(f"/sharing/devices/{device_id}/sign-out").status_code == 404
    assert other.get("/").status_code == 200
