from datetime import timedelta

import pytest

from tests.conftest import PASSWORD, new_sign_in_token
from worker_app.extensions import db
from worker_app.models import SignInLink, User
from worker_app.models.types import utcnow
from worker_app.web import DEVICE_COOKIE


def test_opening_a_link_does_not_use_it_up(app, client, people):
    token = new_sign_in_token(app, people.worker)
    for _ in range(2):  # a chat app's preview, then the person
        page = client.get(f"/signin/{token}")
        assert page.status_code == 200 and "Hei, Ola." in page.text
    response = client.post(f"/signin/{token}")
    assert response.status_code == 302 and response.location == "/"
    assert "Hei, Ola." in client.get("/").text


def test_the_device_is_remembered_after_the_browser_forgets_its_session(app, client, people):
    token = new_sign_in_token(app, people.worker)
    response = client.post(f"/signin/{token}")
    cookie = client.get_cookie(DEVICE_COOKIE)
    assert cookie is not None and cookie.http_only
    assert response.headers.getlist("Set-Cookie")
    assert 170 * 86400 < cookie.max_age <= 180 * 86400 if cookie.max_age else True
    client.delete_cookie("session")
    page = client.get("/")
    assert page.status_code == 200 and "Hei, Ola." in page.text
    # It was rotated on use.
    assert client.get_cookie(DEVICE_COOKIE).value != cookie.value


def test_a_used_link_gets_a_friendly_page(app, client, people):
    token = new_sign_in_token(app, people.worker)
    client.post(f"/signin/{token}")
    other = app.test_client()
    page = other.get(f"/signin/{token}")
    assert page.status_code == 410
    assert "Be jobb-spesialisten din om en ny lenke." in page.text
    assert 'href="tel:' in page.text
    assert other.post(f"/signin/{token}").status_code == 410


def test_expired_and_unknown_links(app, client, people):
    token = new_sign_in_token(app, people.worker)
    with app.app_context():
        link = db.session.query(SignInLink).one()
        link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    expired = client.get(f"/signin/{token}")
    assert expired.status_code == 410 and "for gammel" in expired.text
    unknown = client.get("/signin/not-a-real-token")
    assert unknown.status_code == 404 and "Be jobb-spesialisten din om en ny lenke." in unknown.text


def test_a_tampered_cookie_signs_in_no_one_and_breaks_nothing(client, people):
    client.set_cookie(DEVICE_COOKIE, "1.forged-secret")
    client.set_cookie("session", "garbage.that.is.not.signed")
    page = client.get("/")
    assert page.status_code == 401
    assert 'href="tel:' in page.text


def test_staff_sign_in_and_wrong_passwords(client, people):
    wrong = client.post("/login", data={"email": people.specialist.email, "password": "nope"})
    assert wrong.status_code == 400
    assert "E-post eller passord er feil." in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert f'value="{people.specialist.email}"' in wrong.text  # what was typed is kept
    ok = client.post("/login", data={"email": people.specialist.email, "password": PASSWORD})
    assert ok.status_code == 302 and ok.location == "/staff"


def test_garbage_form_values_get_a_message_not_a_500(client, people):
    response = client.post("/login", data={"email": "x" * 5000, "password": "y" * 5000})
    assert response.status_code == 400
    assert "E-post-adressen er for lang." in response.text


@pytest.mark.fresh_database
def test_sign_in_is_rate_limited_with_an_easy_read_message(app, people):
    app.config["RATELIMIT_ENABLED"] = True
    from worker_app.extensions import limiter

    limiter.init_app(app)
    client = app.test_client()
    statuses = [client.post("/login", data={"email": people.specialist.email,
                                            "password": "wrong"}).status_code for _ in range(12)]
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429
    page = client.post("/login", data={"email": people.specialist.email, "password": PASSWORD})
    assert page.status_code == 429
    assert "Vent 1 minutt." in page.text and 'href="tel:' in page.text


def test_sign_out_everywhere(app, client, people, sign_in):
    sign_in(client, people.worker)
    second_phone = app.test_client()
    sign_in(second_phone, people.worker)
    confirm = client.get("/logout-everywhere")
    assert "Vil du logge ut på alle telefoner og maskiner?" in confirm.text
    client.post("/logout-everywhere")
    for phone in (client, second_phone):
        phone.delete_cookie("session")
        assert phone.get("/").status_code == 401
    second_phone_keeps_cookie = app.test_client()
    assert second_phone_keeps_cookie.get("/").status_code == 401


def test_staff_session_ends_with_sign_out_everywhere(app, client, people, sign_in):
    sign_in(client, people.specialist)
    other = app.test_client()
    sign_in(other, people.specialist)
    client.post("/logout-everywhere")
    assert other.get("/staff").status_code == 302  # back to the sign-in page


def test_picture_code_locks_a_restored_device(app, client, people, sign_in):
    sign_in(client, people.worker)
    saved = client.post("/settings/picture-code", data={"pictures": ["dog", "star", "fish"]})
    assert saved.status_code == 302
    client.delete_cookie("session")  # the phone was put away; the browser forgot
    locked = client.get("/")
    assert locked.status_code == 302 and locked.location.startswith("/unlock")
    # The safety help stays open while locked.
    assert client.get("/help").status_code == 200
    wrong = client.post("/unlock", data={"pictures": ["dog", "cat", "fish"]})
    assert wrong.status_code == 400 and "ikke de riktige bildene" in wrong.text
    right = client.post("/unlock?next=/", data={"pictures": ["fish", "dog", "star"]})
    assert right.status_code == 302
    assert "Hei, Ola." in client.get("/").text


def test_staff_user_id_in_session_must_match_version(app, client, people, sign_in):
    sign_in(client, people.specialist)
    with app.app_context():
        user = db.session.get(User, people.specialist.id)
        user.session_version += 1
        db.session.commit()
    assert client.get("/staff").status_code == 302
