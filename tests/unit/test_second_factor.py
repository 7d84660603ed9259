"""The second-factor service: the code app's secret and its steps, recovery codes, challenges."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from worker_app.extensions import db
from worker_app.models import RecoveryCode, TotpFactor, User, UserSession
from worker_app.services import auth as auth_service
from worker_app.services import passkeys
from worker_app.services import second_factor as mfa
from worker_app.services.errors import Invalid

KEY = "test-secret-key"
NOW = 1_800_000_000.0  # a fixed moment, so no test depends on where in a 30-second step it runs


@pytest.fixture
def staff(app, make_user):
    person = make_user("specialist")
    with app.app_context():
        yield db.session.get(User, person.id)


def test_the_secret_is_kept_encrypted_and_bound_to_its_person(app, staff):
    mfa.start_totp(db.session, staff, KEY)
    row = db.session.get(TotpFactor, staff.id)
    secret = mfa.pending_totp_secret(db.session, staff, KEY)
    assert len(secret) == 32 and secret not in row.secret_encrypted
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):  # another key, or the row moved to another person, opens nothing
        mfa._decrypt(row.secret_encrypted, "another-key", staff.id)
    with pytest.raises(InvalidTag):
        mfa._decrypt(row.secret_encrypted, KEY, staff.id + 1)
    assert mfa.totp_uri(secret, staff).startswith("otpauth://totp/Arbeidsdagen:")


def test_a_code_counts_once_and_older_codes_never(app, staff):
    mfa.start_totp(db.session, staff, KEY)
    secret = mfa.pending_totp_secret(db.session, staff, KEY)
    totp = pyotp.TOTP(secret)
    assert not mfa.confirm_totp(db.session, staff, "12345", KEY, now=NOW)  # five digits
    assert mfa.confirm_totp(db.session, staff, totp.at(NOW), KEY, now=NOW)
    assert mfa.pending_totp_secret(db.session, staff, KEY) is None  # never shown again
    assert not mfa.check_totp(db.session, staff, totp.at(NOW), KEY, now=NOW)  # the confirming code
    assert not mfa.check_totp(db.session, staff, totp.at(NOW - 30), KEY, now=NOW)  # older
    assert mfa.check_totp(db.session, staff, totp.at(NOW + 30), KEY, now=NOW + 30)
    assert not mfa.check_totp(db.session, staff, totp.at(NOW + 30), KEY, now=NOW + 40)  # replayed
    # One step of clock difference either way is allowed, two are not.
    assert not mfa.check_totp(db.session, staff, totp.at(NOW + 120), KEY, now=NOW + 60)
    assert mfa.check_totp(db.session, staff, " " + totp.at(NOW + 90)[:3] + " " + totp.at(NOW + 90)[3:],
                          KEY, now=NOW + 60)
    with pytest.raises(Invalid):
        mfa.start_totp(db.session, staff, KEY)  # a confirmed app is removed first


def test_recovery_codes_are_hashed_single_use_and_replaced(app, staff):
    codes = mfa.new_recovery_codes(db.session, staff)
    assert len(codes) == len(set(codes)) == 10
    stored = list(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == staff.id)))
    assert stored and not set(stored) & {c.replace("-", "") for c in codes}
    assert mfa.use_recovery_code(db.session, staff, codes[0].upper())
    assert not mfa.use_recovery_code(db.session, staff, codes[0])
    assert not mfa.use_recovery_code(db.session, staff, "x" * 5000)
    assert mfa.factors(db.session, staff).recovery_left == 9
    mfa.new_recovery_codes(db.session, staff)
    assert not mfa.use_recovery_code(db.session, staff, codes[1])


def test_a_half_session_is_no_session_until_the_second_factor(app, staff):
    token = auth_service.open_session(db.session, staff)
    mfa.require_second_step(db.session, token)
    assert auth_service.session_user(db.session, staff.id, staff.session_version, token) is None
    assert mfa.pending_user(db.session, token).id == staff.id
    mfa.pass_second_factor(db.session, token)
    assert auth_service.live_session(db.session, staff.id, staff.session_version, token)[:2] == (staff, True)
    assert mfa.pending_user(db.session, token) is None


def test_a_challenge_is_taken_once_and_only_by_its_kind(app, staff):
    token = auth_service.open_session(db.session, staff)
    passkeys.registration_options(db.session, staff, token, "localhost")
    with pytest.raises(Invalid):
        passkeys._take_challenge(db.session, token, "login")
    assert len(passkeys._take_challenge(db.session, token, "register")) >= 16
    with pytest.raises(Invalid):
        passkeys._take_challenge(db.session, token, "register")
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == staff.id))
    assert row.challenge is None and row.challenge_expires_at is None


def test_the_codes_have_about_fifty_bits(app):
    assert len(mfa._RECOVERY_ALPHABET) == len(set(mfa._RECOVERY_ALPHABET)) == 31
    assert not set("01ilo") & set(mfa._RECOVERY_ALPHABET)


def test_a_half_session_waits_only_so_long(app, staff):
    from datetime import timedelta

    from sqlalchemy import update

    from worker_app.models.types import utcnow

    token = auth_service.open_session(db.session, staff)
    mfa.require_second_step(db.session, token)
    assert mfa.pending_user(db.session, token) is not None
    db.session.execute(update(UserSession).where(UserSession.user_id == staff.id)
                       .values(created_at=utcnow() - mfa.HALF_SESSION_LIFETIME - timedelta(seconds=1)))
    assert mfa.pending_user(db.session, token) is None
