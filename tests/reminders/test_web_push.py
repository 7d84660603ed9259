"""Push end to end without the internet: the real encrypted request to a local push service."""

from datetime import date

import pytest

from tests.reminders.helpers import add_shift, oslo_at
from tests.reminders.push_service import Browser, PushService, vapid_keys
from worker_app import pictograms
from worker_app.extensions import db
from worker_app.models import PushSubscription, Reminder, User
from worker_app.services import reminders

DAY = date(2027, 3, 28)  # the day the clocks go forward


@pytest.fixture
def keyed_app(app):
    private, public = vapid_keys()
    app.config.update(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public, VAPID_SUBJECT="mailto:drift@test.no")
    return app


def send(now):
    reminders.plan(db.session, now)
    db.session.commit()
    token = reminders.claim(db.session, now)
    db.session.commit()
    reminders.deliver(db.session, token, now)
    db.session.commit()


def test_leave_home_arrives_encrypted_signed_with_ttl_urgency_and_topic(keyed_app, people):
    browser = Browser()
    with keyed_app.app_context(), PushService() as service:
        worker = db.session.get(User, people.worker.id)
        worker.travel_minutes, worker.ready_minutes = 35, 20
        shift = add_shift(worker, DAY)
        reminders.subscribe(db.session, worker, {"endpoint": service.endpoint("ola"),
                                                 "keys": {"p256dh": browser.p256dh, "auth": _b64(browser.auth)}}, None)
        db.session.commit()
        send(oslo_at(DAY, "08:25"))

        (got,) = service.received
        assert got.path == "/push/ola"
        assert got.headers["content-encoding"] == "aes128gcm"
        assert got.headers["ttl"] == str(35 * 60)  # until the shift starts
        assert got.headers["urgency"] == "high"
        assert len(got.headers["topic"]) <= 32 and got.headers["topic"].replace("-", "").replace("_", "").isalnum()
        assert got.claims["k"] == keyed_app.config["VAPID_PUBLIC_KEY"]
        assert b"Vakten" not in got.body  # encrypted on the wire
        message = browser.decrypt(got.body)
        assert message["title"] == "Gå hjemme-fra nå"
        assert message["body"] == "Vakten begynner kl. 09:00."
        assert message["actions"] == [{"action": "left", "title": "Jeg har gått"}]
        assert message["icon"] == f"/static/vendor/openmoji/{pictograms.code('leave_home')}.svg"
        assert reminders.read_left_token(keyed_app.config["SECRET_KEY"], message["left_token"]) == (worker.id, shift.id)
        assert db.session.query(Reminder).one().state == "sent"


def test_a_gone_subscription_is_removed_when_the_push_service_says_410(keyed_app, people):
    browser = Browser()
    with keyed_app.app_context(), PushService(status=410) as service:
        worker = db.session.get(User, people.worker.id)
        add_shift(worker, DAY)
        reminders.subscribe(db.session, worker, {"endpoint": service.endpoint("gone"),
                                                 "keys": {"p256dh": browser.p256dh, "auth": _b64(browser.auth)}}, None)
        db.session.commit()
        send(oslo_at(DAY, "08:00"))  # no travel time: "Gjør deg klar" 1 hour before
        assert len(service.received) == 1
        assert db.session.query(PushSubscription).count() == 0
        assert db.session.query(Reminder).one().state == "failed"


def test_the_messages_are_in_the_recipients_language(keyed_app, people):
    browser = Browser()
    with keyed_app.app_context(), PushService() as service:
        worker = db.session.get(User, people.worker.id)
        worker.locale, worker.travel_minutes = "nn", 30
        add_shift(worker, DAY)
        reminders.subscribe(db.session, worker, {"endpoint": service.endpoint("nn"),
                                                 "keys": {"p256dh": browser.p256dh, "auth": _b64(browser.auth)}}, None)
        db.session.commit()
        send(oslo_at(DAY, "08:30"))
        message = browser.decrypt(service.received[0].body)
        assert message["title"] == "Gå heimanfrå no"
        assert message["actions"][0]["title"] == "Eg har gått"


def _b64(data: bytes) -> str:
    from tests.reminders.push_service import b64url

    return b64url(data)
