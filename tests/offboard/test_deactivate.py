"""Admins deactivate and reactivate a person, sign anyone out everywhere, reset a password;
a deactivated person gets in by no path."""

import pytest

from tests.conftest import PASSWORD, new_sign_in_token
from worker_app.extensions import db
from worker_app.models import ApiToken, AuditEntry, Device, User, UserSession
from worker_app.services import api_tokens
from worker_app.web import DEVICE_COOKIE


def _token(app, user):
    with app.app_context():
        _row, secret = api_tokens.create(db.session, db.session.get(User, user.id), "Vaktsystem",
                                         ["people:read"])
        db.session.commit()
    return secret


def _api(app, secret):
    return app.test_client().get("/api/v1/workers", headers={"Authorization": f"Bearer {secret}"})


def _feed(client):
    page = client.get("/shifts/calendar").text
    return page.split('value="http://localhost', 1)[1].split('"', 1)[0]


def _admin(app, people, sign_in):
    admin = app.test_client()
    sign_in(admin, people.admin)
    return admin


def test_the_confirm_asks_first_and_a_get_changes_nothing(app, people, sign_in):
    admin = _admin(app, people, sign_in)
    page = admin.get(f"/admin/users/{people.worker.id}/deactivate")
    assert page.status_code == 200
    assert "Deaktivere Ola Johansen?" in page.text and "Ja, deaktiver" in page.text
    assert "Nei, gå tilbake" in page.text
    with app.app_context():
        assert db.session.get(User, people.worker.id).active


def test_deactivating_a_worker_ends_every_way_in_at_once(app, people, sign_in):
    phone = app.test_client()
    sign_in(phone, people.worker)
    device_cookie = phone.get_cookie(DEVICE_COOKIE).value
    feed = _feed(phone)
    assert phone.get(feed).status_code == 200
    open_link = new_sign_in_token(app, people.worker)
    admin = _admin(app, people, sign_in)

    answer = admin.post(f"/admin/users/{people.worker.id}/deactivate")
    assert answer.status_code == 302 and answer.location == f"/admin/users/{people.worker.id}"
    assert "Ola Johansen er deaktivert." in admin.get(answer.location).text

    assert phone.get("/").status_code == 401  # the session
    restored = app.test_client()
    restored.set_cookie(DEVICE_COOKIE, device_cookie)
    assert restored.get("/").status_code == 401  # the remembered phone
    assert app.test_client().post(f"/signin/{open_link}").status_code != 302  # the open link
    assert app.test_client().get(feed).status_code == 404  # the calendar address
    with app.app_context():
        person = db.session.get(User, people.worker.id)
        assert not person.active and person.deactivated_at is not None
        assert db.session.scalar(db.select(db.func.count()).select_from(UserSession).where(
            UserSession.user_id == person.id, UserSession.ended_at.is_(None))) == 0
        assert all(d.revoked_at for d in db.session.scalars(db.select(Device).where(Device.user_id == person.id)))
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "user.deactivate")).one()
        assert (entry.actor_id, entry.worker_id) == (people.admin.id, person.id)


def test_a_deactivated_worker_gets_no_new_way_in(app, people, sign_in):
    admin = _admin(app, people, sign_in)
    admin.post(f"/admin/users/{people.worker.id}/deactivate")
    # A link made after (by code: the pages still offer one) is refused too.
    late_link = new_sign_in_token(app, people.worker)
    assert app.test_client().post(f"/signin/{late_link}").status_code == 404


def test_a_deactivated_staff_member_cannot_sign_in_nor_use_a_token(app, people, sign_in):
    laptop = app.test_client()
    sign_in(laptop, people.specialist)
    secret = _token(app, people.specialist)
    assert _api(app, secret).status_code == 200
    admin = _admin(app, people, sign_in)
    admin.post(f"/admin/users/{people.specialist.id}/deactivate")

    assert laptop.get("/staff").status_code == 302  # the session is over
    again = app.test_client().post("/login", data={"email": people.specialist.email, "password": PASSWORD})
    assert again.status_code != 302  # the right password no longer opens it
    assert _api(app, secret).status_code == 401
    with app.app_context():
        assert db.session.scalars(db.select(ApiToken)).one().revoked_at is not None


def test_reactivating_gives_nothing_back_by_itself(app, people, sign_in):
    phone = app.test_client()
    sign_in(phone, people.worker)
    device_cookie = phone.get_cookie(DEVICE_COOKIE).value
    feed = _feed(phone)
    admin = _admin(app, people, sign_in)
    admin.post(f"/admin/users/{people.worker.id}/deactivate")
    assert "Aktiver igjen" in admin.get(f"/admin/users/{people.worker.id}").text
    assert admin.post(f"/admin/users/{people.worker.id}/reactivate").status_code == 302

    restored = app.test_client()
    restored.set_cookie(DEVICE_COOKIE, device_cookie)
    assert restored.get("/").status_code == 401
    assert app.test_client().get(feed).status_code == 404
    fresh = app.test_client()
    sign_in(fresh, people.worker)  # a new link works
    assert fresh.get("/").status_code == 200
    assert _feed(fresh) != feed


def test_an_admin_cannot_deactivate_themself(app, people, sign_in):
    admin = _admin(app, people, sign_in)
    answer = admin.post(f"/admin/users/{people.admin.id}/deactivate")
    assert answer.status_code == 400 and "Du kan ikke deaktivere deg selv." in answer.text
    assert admin.get("/admin/users").status_code == 200
    assert "Deaktiver</span>" not in admin.get(f"/admin/users/{people.admin.id}").text


@pytest.mark.parametrize("who", ["specialist", "organizer", "worker", "supporter"])
def test_an_admin_signs_anyone_out_everywhere(app, people, sign_in, who):
    person = getattr(people, who)
    device = app.test_client()
    sign_in(device, person)
    home = "/" if who == "worker" else "/support" if who == "supporter" else "/settings"
    assert device.get(home).status_code == 200
    admin = _admin(app, people, sign_in)
    user_page = admin.get(f"/admin/users/{person.id}").text
    assert f'href="/admin/users/{person.id}/sign-out"' in user_page
    confirm = admin.get(f"/admin/users/{person.id}/sign-out")
    assert "Ja, logg ut overalt" in confirm.text
    assert admin.post(f"/admin/users/{person.id}/sign-out").status_code == 302
    assert device.get(home).status_code in (302, 401)
    with app.app_context():
        person_row = db.session.get(User, person.id)
        assert person_row.active  # signed out, not deactivated
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "user.sign_out_everywhere")) == 1


def test_an_admin_signs_another_admin_out(app, people, sign_in, make_user):
    other = make_user("admin", "Berit Admin")
    laptop = app.test_client()
    sign_in(laptop, other)
    admin = _admin(app, people, sign_in)
    assert admin.post(f"/admin/users/{other.id}/sign-out").status_code == 302
    assert laptop.get("/admin/users").status_code == 302


def test_an_admins_password_reset_ends_sessions_and_tokens(app, people, sign_in):
    laptop = app.test_client()
    sign_in(laptop, people.specialist)
    secret = _token(app, people.specialist)
    admin = _admin(app, people, sign_in)
    saved = admin.post(f"/admin/users/{people.specialist.id}", data={
        "name": people.specialist.name, "role": "specialist", "region": "0",
        "email": people.specialist.email, "password": "a-brand-new-password"})
    assert saved.status_code == 302
    assert laptop.get("/staff").status_code == 302
    assert _api(app, secret).status_code == 401
    again = app.test_client().post("/login", data={"email": people.specialist.email,
                                                   "password": "a-brand-new-password"})
    assert again.status_code == 302


@pytest.mark.fresh_database
def test_a_post_without_the_form_is_refused_not_done(app, people, sign_in):
    """With CSRF on, a forged post changes nothing (the confirm is a real form)."""
    admin = _admin(app, people, sign_in)
    app.config["WTF_CSRF_ENABLED"] = True
    answer = admin.post(f"/admin/users/{people.worker.id}/deactivate")
    assert answer.status_code == 400
    with app.app_context():
        assert db.session.get(User, people.worker.id).active


def test_unknown_people_and_actions_are_404(app, people, sign_in):
    admin = _admin(app, people, sign_in)
    assert admin.get("/admin/users/999999/deactivate").status_code == 404
    assert admin.post("/admin/users/999999/sign-out").status_code == 404
    assert admin.get(f"/admin/users/{people.worker.id}/explode").status_code == 404


def test_no_sign_in_link_is_made_for_a_deactivated_person(app, people, sign_in):
    admin = _admin(app, people, sign_in)
    link_form = f'action="/staff/people/{people.worker.id}/sign-in-link"'
    assert link_form in admin.get("/admin/users").text
    admin.post(f"/admin/users/{people.worker.id}/deactivate")
    listing = admin.get("/admin/users").text
    assert link_form not in listing and "Ola Johansen</a> (deaktivert)" in listing
    assert admin.post(f"/staff/people/{people.worker.id}/sign-in-link").status_code == 403
    admin.post(f"/admin/users/{people.worker.id}/reactivate")
    made = admin.post(f"/staff/people/{people.worker.id}/sign-in-link")
    assert made.status_code == 200  # a new link is how the worker gets back in
