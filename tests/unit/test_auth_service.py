from datetime import timedelta

import pytest

from worker_app.extensions import db
from worker_app.models import Device, SignInLink, User
from worker_app.models.types import utcnow
from worker_app.services import auth
from worker_app.services.errors import Invalid, SignInLinkInvalid

DAY = timedelta(days=1)


def make_link(app, user, lifetime=timedelta(days=7)):
    person = db.session.get(User, user.id)
    return auth.make_sign_in_link(db.session, person, None, lifetime)


def test_sign_in_link_is_stored_hashed_and_works_once(app, make_user):
    worker = make_user("worker")
    with app.app_context():
        link, token = make_link(app, worker)
        assert token not in link.token_hash
        assert db.session.query(SignInLink).filter_by(token_hash=token).count() == 0

        user, device, secret = auth.use_sign_in_link(db.session, token, "phone", 180 * DAY)
        assert user.id == worker.id
        assert device.secret_hash == auth.hash_token(secret)
        with pytest.raises(SignInLinkInvalid) as used:
            auth.use_sign_in_link(db.session, token, "phone", 180 * DAY)
        assert used.value.kind == "used"


def test_expired_and_unknown_links_are_refused(app, make_user):
    worker = make_user("worker")
    with app.app_context():
        _link, token = make_link(app, worker, lifetime=timedelta(seconds=-1))
        with pytest.raises(SignInLinkInvalid) as expired:
            auth.check_sign_in_link(db.session, token)
        assert expired.value.kind == "expired"
        for bad in ("nope", "", "x" * 500):
            with pytest.raises(SignInLinkInvalid) as unknown:
                auth.check_sign_in_link(db.session, bad)
            assert unknown.value.kind == "unknown"


def test_link_expires_after_seven_days(app, make_user):
    worker = make_user("worker")
    with app.app_context():
        link, token = make_link(app, worker, app.config["SIGN_IN_LINK_LIFETIME"])
        assert auth.check_sign_in_link(db.session, token, now=utcnow() + 6 * DAY)
        with pytest.raises(SignInLinkInvalid):
            auth.check_sign_in_link(db.session, token, now=utcnow() + 7 * DAY + timedelta(minutes=1))


def test_staff_never_get_links(app, make_user):
    admin = make_user("admin")
    with app.app_context(), pytest.raises(Invalid):
        make_link(app, admin)


def test_remembered_device_rotates_its_secret(app, make_user):
    worker = make_user("worker")
    with app.app_context():
        _link, token = make_link(app, worker)
        _user, device, secret = auth.use_sign_in_link(db.session, token, "phone", 180 * DAY)
        cookie = auth.device_cookie_value(device, secret)

        user, same_device, new_secret = auth.restore_device(db.session, cookie, 180 * DAY)
        assert user.id == worker.id and same_device.id == device.id and new_secret != secret
        # The old secret no longer works: a copied cookie is good for one use only.
        assert auth.restore_device(db.session, cookie, 180 * DAY) is None
        assert auth.restore_device(
            db.session, auth.device_cookie_value(device, new_secret), 180 * DAY) is not None


@pytest.mark.parametrize("cookie", ["", "garbage", "1.", ".x", "999.abc", "1." + "x" * 300])
def test_bad_device_cookies_sign_in_no_one(app, cookie):
    with app.app_context():
        assert auth.restore_device(db.session, cookie, 180 * DAY) is None


def test_sign_out_everywhere_ends_every_device_and_session(app, make_user):
    worker = make_user("worker")
    with app.app_context():
        cookies = []
        for _ in range(2):
            _link, token = make_link(app, worker)
            _u, device, secret = auth.use_sign_in_link(db.session, token, "phone", 180 * DAY)
            cookies.append(auth.device_cookie_value(device, secret))
        user = db.session.get(User, worker.id)
        version = user.session_version
        auth.sign_out_everywhere(db.session, user)
        assert user.session_version == version + 1
        assert all(auth.restore_device(db.session, c, 180 * DAY) is None for c in cookies)
        assert db.session.query(Device).filter(Device.revoked_at.is_(None)).count() == 0


def test_staff_passwords_use_argon2id_and_unknown_emails_fail(app, make_user):
    from tests.conftest import PASSWORD

    specialist = make_user("specialist")
    with app.app_context():
        stored = db.session.get(User, specialist.id).password_hash
        assert stored.startswith("$argon2id$")
        assert auth.authenticate_staff(db.session, specialist.email.upper(), PASSWORD)
        assert auth.authenticate_staff(db.session, specialist.email, "wrong") is None
        assert auth.authenticate_staff(db.session, "nobody@test.no", PASSWORD) is None
        with pytest.raises(Invalid):
            auth.hash_password("short")


def test_picture_code_is_three_pictures_in_any_order(app, make_user):
    worker = make_user("worker")
    allowed = ["dog", "cat", "apple", "car", "star", "flower", "fish", "house", "balloon"]
    with app.app_context():
        user = db.session.get(User, worker.id)
        assert auth.check_picture_code(db.session, user, [])  # no code: nothing to check
        for bad in (["dog", "cat"], ["dog", "dog", "cat"], ["dog", "cat", "lion"]):
            with pytest.raises(Invalid):
                auth.set_picture_code(db.session, user, bad, allowed)
        auth.set_picture_code(db.session, user, ["dog", "star", "fish"], allowed)
        assert auth.check_picture_code(db.session, user, ["fish", "dog", "star"])
        assert not auth.check_picture_code(db.session, user, ["fish", "dog", "cat"])
        auth.remove_picture_code(db.session, user)
        assert not auth.has_picture_code(db.session, user)
