"""Two senders at once, as two machines would run `flask reminders send`: each reminder goes
out once. On PostgreSQL (FOR UPDATE SKIP LOCKED) and on SQLite (its single write lock)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reminders.push_service import Browser, PushService, b64url, vapid_keys
from worker_app.extensions import db
from worker_app.models import Follows, HelpRequest, PushSubscription, Reminder, User
from worker_app.models.types import utcnow

COUNT = 60
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.fresh_database  # two other processes read what this test committed
def test_two_senders_at_once_send_each_reminder_once(app, people):
    browser = Browser()
    private, public = vapid_keys()
    # A small delay per push keeps both senders busy at the same time.
    with PushService(delay=0.01) as service, app.app_context():
        specialist = db.session.get(User, people.specialist.id)
        db.session.add(PushSubscription(user_id=specialist.id, endpoint=service.endpoint("kari"),
                                        endpoint_hash="kari", p256dh=browser.p256dh, auth=b64url(browser.auth)))
        assert db.session.query(Follows).filter_by(specialist_id=specialist.id).count() >= 1
        now = utcnow()
        for _ in range(COUNT):
            request = HelpRequest(worker_id=people.worker.id, reason="sad", created_at=now)
            db.session.add(request)
            db.session.flush()
            db.session.add(Reminder(key=f"help:{request.id}:{specialist.id}", user_id=specialist.id,
                                    worker_id=people.worker.id, kind="help", help_request_id=request.id,
                                    due_at=now))
        db.session.commit()
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        env = {**os.environ, "DATABASE_URL": url, "VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public,
               "WORKER_APP_ENV": "development", "SECRET_KEY": "test-secret"}
        flask = str(Path(sys.executable).with_name("flask"))
        senders = [subprocess.Popen([flask, "--app", "worker_app", "reminders", "send", "--batch", "5"],
                                    cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                   for _ in range(2)]
        outputs = [p.communicate(timeout=120) for p in senders]
        assert [p.returncode for p in senders] == [0, 0], outputs
        db.session.expire_all()
        got = [browser.decrypt(r.body) for r in service.received]
        topics = [r.headers["topic"] for r in service.received]
        assert len(got) == COUNT and len(set(topics)) == COUNT  # each once
        assert {m["title"] for m in got} == {"Ola trenger hjelp"}
        rows = db.session.query(Reminder).all()
        assert {r.state for r in rows} == {"sent"}
        claims = {r.claim for r in rows}
        assert len(claims) >= 2  # claimed in batches, by whichever sender came first
