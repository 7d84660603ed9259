"""The staff second factor through the web: passkeys, the code app, recovery codes, the half
session between password and second step, admins sent to enrol, and an admin's reset."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, update

from tests.conftest import PASSWORD
from tests.soft_authenticator import SoftPasskey, b64url
from worker_app.extensions import db
from worker_app.models import AuditEntry, Passkey, RecoveryCode, TotpFactor, UserSession
from worker_app.models.types import utcnow


def password_login(client, user, **kwargs):
    return client.post("/login", data={"email": user.email, "password": PASSWORD}, **kwargs)


def add_passkey(client, soft, name="Telefonen min", **kwargs):
    options = client.post("/account/security/passkeys/options").get_json()
    return client.post("/account/security/passkeys",
                       json={"name": name, "credential": soft.create(options, **kwargs)})


def passkey_step(client, soft, **kwargs):
    options = client.post("/login/second-step/passkey/options").get_json()
    return client.post("/login/second-step/passkey", json={"credential": soft.get(options, **kwargs)})


def audit_actions(app, actor_id):
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.actor_id == actor_id, AuditEntry.action.startswith("second_factor."))
                                       .order_by(AuditEntry.id)))


def enrol_totp(client) -> str:
    """Start the code app, read the secret off the page, confirm it; returns the secret."""
    assert client.post("/account/security/totp/start").status_code == 302
    page = client.get("/account/security/totp")
    secret = re.search(r'id="totp-secret"[^>]*value="([A-Z2-7 ]+)"', page.text).group(1).replace(" ", "")
    confirmed = client.post("/account/security/totp", data={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200 and "Dine reserve-koder" in confirmed.text
    return secret


def test_staff_without_a_second_factor_get_a_calm_offer(client, people):
    response = password_login(client, people.specialist)
    assert response.status_code == 302 and response.location == "/staff"
    assert "Gjør innloggingen tryggere" in client.get("/staff").text
    page = client.get("/account/security")
    assert page.status_code == 200
    assert "Du har ingen passnøkler ennå." in page.text
    assert "Som administrator må du" not in page.text


def test_register_a_passkey_and_sign_in_with_it(app, people):
    client = app.test_client()
    password_login(client, people.specialist)
    soft = SoftPasskey()
    added = add_passkey(client, soft)
    assert added.status_code == 200, added.text
    assert added.get_json()["make_codes"] is True  # the first factor: recovery codes next
    codes = client.post("/account/security/recovery-codes")
    assert codes.headers["Cache-Control"] == "no-store"
    assert len(re.findall(r"<code>[a-z2-9]{5}-[a-z2-9]{5}</code>", codes.text)) == 10
    page = client.get("/account/security")
    assert "Telefonen min" in page.text and "Du har 10 ubrukte reserve-koder." in page.text

    client.post("/logout")
    step = password_login(client, people.specialist, query_string={"next": "/staff/checklists"})
    assert step.status_code == 302 and step.location.startswith("/login/second-step")
    # A half session opens no staff page.
    half = client.get("/staff")
    assert half.status_code == 302 and half.location.startswith("/login")
    assert "Logg inn med passnøkkel" in client.get(step.location).text
    options = client.post("/login/second-step/passkey/options").get_json()
    assert options["rpId"] == "localhost" and options["userVerification"] == "required"
    assert options["allowCredentials"][0]["id"] == b64url(soft.credential_id)
    done = client.post("/login/second-step/passkey?next=/staff/checklists",
                       json={"credential": soft.get(options)})
    assert done.status_code == 200 and done.get_json()["next"] == "/staff/checklists"
    assert client.get("/staff").status_code == 200
    with app.app_context():
        key = db.session.scalar(select(Passkey).where(Passkey.user_id == people.specialist.id))
        assert key.sign_count == 1 and key.last_used_at is not None and key.transports == "internal"
    assert audit_actions(app, people.specialist.id) == [
        "second_factor.enrol", "second_factor.new_codes", "second_factor.sign_in"]


def test_a_passkey_challenge_is_used_once(app, people):
    client = app.test_client()
    password_login(client, people.specialist)
    soft = SoftPasskey()
    add_passkey(client, soft)
    client.post("/logout")
    password_login(client, people.specialist)
    options = client.post("/login/second-step/passkey/options").get_json()
    answer = soft.get(options)
    other = app.test_client()  # a second half session of the same person can't use this challenge
    password_login(other, people.specialist)
    assert other.post("/login/second-step/passkey", json={"credential": answer}).status_code == 400
    assert client.post("/login/second-step/passkey", json={"credential": answer}).status_code == 200
    client.post("/logout")
    password_login(client, people.specialist)
    replayed = client.post("/login/second-step/passkey", json={"credential": answer})
    assert replayed.status_code == 400 and "Prøv en gang til." in replayed.get_json()["error"]


def test_an_expired_challenge_is_refused(app, people):
    client = app.test_client()
    password_login(client, people.specialist)
    soft = SoftPasskey()
    add_passkey(client, soft)
    client.post("/logout")
    password_login(client, people.specialist)
    options = client.post("/login/second-step/passkey/options").get_json()
    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.challenge.is_not(None))
                           .values(challenge_expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    late = client.post("/login/second-step/passkey", json={"credential": soft.get(options)})
    assert late.status_code == 400 and "Det tok for lang tid" in late.get_json()["error"]
    assert client.get("/staff").status_code == 302
    assert audit_actions(app, people.specialist.id)[-1] == "second_factor.failed"


def test_someone_elses_passkey_is_refused(app, people):
    theirs = SoftPasskey()
    owner = app.test_client()
    password_login(owner, people.other_specialist)
    assert add_passkey(owner, theirs).status_code == 200
    mine = SoftPasskey()
    client = app.test_client()
    password_login(client, people.specialist)
    add_passkey(client, mine)
    client.post("/logout")
    password_login(client, people.specialist)
    options = client.post("/login/second-step/passkey/options").get_json()
    # The other specialist's real passkey, answering this session's challenge.
    refused = client.post("/login/second-step/passkey", json={"credential": theirs.get(options)})
    assert refused.status_code == 400 and "kjenner vi ikke" in refused.get_json()["error"]
    # And my own credential id with a signature made by another key.
    options = client.post("/login/second-step/passkey/options").get_json()
    forged = client.post("/login/second-step/passkey",
                         json={"credential": theirs.get(options, credential_id=mine.credential_id)})
    assert forged.status_code == 400
    assert client.get("/staff").status_code == 302


@pytest.mark.parametrize("case", ["wrong origin", "wrong rp", "no name", "long name", "garbage", "no challenge"])
def test_a_bad_passkey_registration_is_refused(app, people, case):
    client = app.test_client()
    password_login(client, people.specialist)
    soft = SoftPasskey()
    if case == "no challenge":
        response = client.post("/account/security/passkeys",
                               json={"name": "x", "credential": soft.create({"challenge": b64url(b"x" * 32)})})
    elif case == "garbage":
        client.post("/account/security/passkeys/options")
        response = client.post("/account/security/passkeys", json={"name": "x", "credential": "{not json"})
    elif case in ("no name", "long name"):
        response = add_passkey(client, soft, name="" if case == "no name" else "x" * 61)
    else:
        response = add_passkey(client, soft, **({"origin": "http://evil.example"} if case == "wrong origin"
                                               else {"rp_id": "evil.example"}))
    assert response.status_code == 400 and response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Passkey)) == 0


def test_the_relying_party_comes_from_base_url_not_the_host_header(app, client, people):
    app.config["BASE_URL"] = "https://arbeidsdagen.example"  # the request's Host is localhost
    password_login(client, people.specialist)
    options = client.post("/account/security/passkeys/options").get_json()
    assert options["rp"]["id"] == "arbeidsdagen.example"
    # An answer made for the Host the request named is refused.
    soft = SoftPasskey()
    assert client.post("/account/security/passkeys",
                       json={"name": "x", "credential": soft.create(options)}).status_code == 400
    good = SoftPasskey(origin="https://arbeidsdagen.example", rp_id="arbeidsdagen.example")
    options = client.post("/account/security/passkeys/options").get_json()
    assert client.post("/account/security/passkeys",
                       json={"name": "x", "credential": good.create(options)}).status_code == 200
    assert options["authenticatorSelection"]["userVerification"] == "required"


def test_code_app_enrolment_sign_in_and_replay(app, people):
    client = app.test_client()
    password_login(client, people.specialist)
    client.post("/account/security/totp/start")
    page = client.get("/account/security/totp")
    assert "<svg" in page.text and 'role="img"' in page.text
    secret = re.search(r'id="totp-secret"[^>]*value="([A-Z2-7 ]+)"', page.text).group(1).replace(" ", "")
    with app.app_context():  # kept encrypted, never as the secret itself
        stored = db.session.get(TotpFactor, people.specialist.id).secret_encrypted
        assert secret not in stored and secret.lower() not in stored.lower()
    wrong = client.post("/account/security/totp", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                        else "111111"})
    assert wrong.status_code == 400 and "Koden stemmer ikke" in wrong.text
    assert secret[:4] in wrong.text  # the secret is still shown to try again
    bad = client.post("/account/security/totp", data={"code": "12ab" * 10})
    assert bad.status_code == 400 and "Koden har 6 tall." in bad.text
    code = pyotp.TOTP(secret).now()
    confirmed = client.post("/account/security/totp", data={"code": code})
    assert confirmed.status_code == 200 and "Dine reserve-koder" in confirmed.text
    # Confirmed: the secret is never shown again.
    assert client.get("/account/security/totp").status_code == 302
    assert secret[:4] not in client.get("/account/security").text

    client.post("/logout")
    password_login(client, people.specialist)
    replayed = client.post("/login/second-step", data={"code": code})
    assert replayed.status_code == 400 and "brukt før" in replayed.text
    later = pyotp.TOTP(secret).at(time.time() + 30)  # the next 30 seconds' code (a fast phone)
    assert client.post("/login/second-step", data={"code": later}).status_code == 302
    assert client.get("/staff").status_code == 200
    again = app.test_client()
    password_login(again, people.specialist)
    assert again.post("/login/second-step", data={"code": later}).status_code == 400
    actions = audit_actions(app, people.specialist.id)
    assert actions.count("second_factor.failed") == 2 and "second_factor.sign_in" in actions


def test_recovery_codes_work_once_and_new_ones_end_the_old(app, people):
    client = app.test_client()
    password_login(client, people.specialist)
    client.post("/account/security/totp/start")
    page = client.get("/account/security/totp")
    secret = re.search(r'id="totp-secret"[^>]*value="([A-Z2-7 ]+)"', page.text).group(1).replace(" ", "")
    shown = client.post("/account/security/totp", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", shown.text)
    with app.app_context():
        hashes = set(db.session.scalars(select(RecoveryCode.code_hash)))
        assert not any(code.replace("-", "") in h for code in codes for h in hashes)

    def second_step_with(code):
        other = app.test_client()
        password_login(other, people.specialist)
        return other.post("/login/second-step", data={"recovery_code": code})

    assert second_step_with(codes[0].upper().replace("-", " ")).status_code == 302  # typed loosely
    used_again = second_step_with(codes[0])
    assert used_again.status_code == 400 and "brukt før" in used_again.text
    assert "Du har 9 ubrukte reserve-koder." in client.get("/account/security").text
    new = client.post("/account/security/recovery-codes")
    assert len(re.findall(r"<code>", new.text)) == 10
    assert second_step_with(codes[1]).status_code == 400  # an old, unused code ended
    assert "second_factor.recovery_code" in audit_actions(app, people.specialist.id)


def test_an_admin_must_enrol_before_admin_pages_work(app, people):
    client = app.test_client()
    password_login(client, people.admin)
    sent = client.get("/admin/users")
    assert sent.status_code == 302 and sent.location == "/account/security?next=/admin/users"
    page = client.get(sent.location)
    assert page.status_code == 200 and "Som administrator må du ha et andre steg" in page.text
    enrol_totp(client)
    assert client.get("/admin/users").status_code == 200
    # Next time the password alone is half a sign-in.
    client.post("/logout")
    assert password_login(client, people.admin).location.startswith("/login/second-step")
    assert client.get("/admin/users").status_code == 302
    assert client.get("/admin/users").location.startswith("/login")


def test_an_admin_resets_someone_who_lost_every_factor(app, people, sign_in):
    specialist = app.test_client()
    password_login(specialist, people.specialist)
    add_passkey(specialist, SoftPasskey())
    specialist.post("/account/security/recovery-codes")
    admin = app.test_client()
    sign_in(admin, people.admin)
    page = admin.get(f"/admin/users/{people.specialist.id}")
    assert "Nullstill andre steg" in page.text
    done = admin.post(f"/admin/users/{people.specialist.id}/second-factor/reset")
    assert done.status_code == 302
    assert "er nullstilt" in admin.get(done.location).text
    assert specialist.get("/staff").status_code == 302  # their sessions ended
    with app.app_context():
        for model in (Passkey, RecoveryCode, TotpFactor):
            assert db.session.scalar(select(func.count()).select_from(model)
                                     .where(model.user_id == people.specialist.id)) == 0
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "second_factor.reset"))
        assert entry.actor_id == people.admin.id and entry.detail == f"user {people.specialist.id}"
    # Back in with the password alone, offered to enrol again.
    assert password_login(app.test_client(), people.specialist).location == "/staff"
    # Not for oneself, nor for a worker.
    assert admin.post(f"/admin/users/{people.admin.id}/second-factor/reset").status_code == 403
    assert admin.post(f"/admin/users/{people.worker.id}/second-factor/reset").status_code == 403


def test_removing_factors(app, people):
    client = app.test_client()
    password_login(client, people.specialist)
    add_passkey(client, SoftPasskey())
    enrol_totp(client)
    with app.app_context():
        key_id = db.session.scalar(select(Passkey.id))
    other = app.test_client()
    password_login(other, people.other_specialist)
    assert other.post(f"/account/security/passkeys/{key_id}/remove").status_code == 404
    assert client.post(f"/account/security/passkeys/{key_id}/remove").status_code == 302
    assert client.post("/account/security/totp/remove").status_code == 302
    assert "Du har ingen passnøkler ennå." in client.get("/account/security").text
    assert audit_actions(app, people.specialist.id).count("second_factor.remove") == 2
    client.post("/logout")
    assert password_login(client, people.specialist).location == "/staff"


def test_the_second_step_page_without_a_half_session(client, people):
    assert client.get("/login/second-step").location == "/login"
    assert client.post("/login/second-step/passkey/options").status_code == 401
    assert client.post("/login/second-step/passkey", data="x").status_code == 401


@pytest.mark.fresh_database
def test_second_step_tries_are_limited_per_account_and_address(app, people):
    from worker_app.extensions import limiter

    app.config["RATELIMIT_ENABLED"] = True
    # Counted in fixed windows: an hour's window, so the tries don't straddle a new minute.
    app.config["SIGN_IN_RATE_LIMIT"] = "10 per hour"
    limiter.init_app(app)
    client = app.test_client()
    password_login(client, people.specialist)
    enrol_totp(client)
    statuses = []
    for n in range(11):  # each try from a new address, as a botnet would
        attacker = app.test_client()
        environ = {"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        password_login(attacker, people.specialist, environ_base=environ)
        statuses.append(attacker.post("/login/second-step", data={"code": "000000"},
                                      environ_base=environ).status_code)
    assert statuses[:10] == [400] * 10 and statuses[10] == 429
    page = app.test_client()
    password_login(page, people.other_specialist)
    assert page.post("/login/second-step", data={"code": "1"}).status_code != 429  # another account


@pytest.mark.fresh_database
def test_second_step_tries_are_limited_per_address_too(app, people):
    from worker_app.extensions import limiter

    app.config["RATELIMIT_ENABLED"] = True
    # Counted in fixed windows: an hour's window, so the tries don't straddle a new minute.
    app.config["SIGN_IN_RATE_LIMIT"] = "10 per hour"
    limiter.init_app(app)
    clients = []
    for person in (people.specialist, people.other_specialist):
        client = app.test_client()
        password_login(client, person)
        enrol_totp(client)
        client.post("/logout")
        password_login(client, person)
        clients.append(client)
    # Five tries on each account (under the limit per account), all from one address.
    statuses = [clients[n % 2].post("/login/second-step", data={"code": "000000"}).status_code
                for n in range(11)]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_a_passkey_registration_body_is_json_checked(client, people):
    password_login(client, people.specialist)
    client.post("/account/security/passkeys/options")
    response = client.post("/account/security/passkeys", json={"name": "x", "credential": json.dumps({"id": 5})})
    assert response.status_code == 400


def test_an_admin_without_a_second_factor_cannot_reset_anyone(app, people):
    admin = app.test_client()
    password_login(admin, people.admin)
    sent = admin.post(f"/admin/users/{people.specialist.id}/second-factor/reset")
    assert sent.status_code == 302 and sent.location.startswith("/account/security")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "second_factor.reset")) == 0
