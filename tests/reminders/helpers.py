"""Shared by the reminder tests: a fake push service, one sender run, shifts at Oslo times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from worker_app.extensions import db
from worker_app.models import PushSubscription, Reminder, Shift
from worker_app.services import reminders
from worker_app.services.reminders import PushResult
from worker_app.services.schedule import at_oslo


@dataclass
class FakePush:
    """Records what would go to each device; answers with the status set for its endpoint."""

    calls: list = field(default_factory=list)
    status: dict = field(default_factory=dict)  # endpoint -> list of statuses (last one repeats)

    def __call__(self, device, data, headers, ttl):
        import json

        self.calls.append({"endpoint": device.endpoint, "user_id": device.user_id,
                           "data": json.loads(data), "headers": dict(headers), "ttl": ttl})
        answers = self.status.get(device.endpoint, [201])
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return answer if isinstance(answer, PushResult) else PushResult(answer)

    def titles(self, user_id=None):
        return [c["data"]["title"] for c in self.calls if user_id is None or c["user_id"] == user_id]


def run_sender(now: datetime, push: FakePush, batch: int = 100) -> dict:
    """One run of `flask reminders send`, with its three commits."""
    reminders.plan(db.session, now)
    db.session.commit()
    token = reminders.claim(db.session, now, batch)
    db.session.commit()
    counts = reminders.deliver(db.session, token, now, push=push, secret_key="test-secret")
    db.session.commit()
    return counts


def oslo_at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return at_oslo(day, time(hours, minutes))


def add_shift(worker, day: date, start="09:00", end="12:00", workplace_id=None) -> Shift:
    shift = Shift(worker_id=worker.id, starts_at=oslo_at(day, start), ends_at=oslo_at(day, end),
                  workplace_id=workplace_id)
    db.session.add(shift)
    db.session.commit()
    return shift


def add_device(user, name="phone") -> PushSubscription:
    device = PushSubscription(user_id=user.id, endpoint=f"https://push.test/{user.id}/{name}",
                              endpoint_hash=f"{user.id}-{name}", p256dh="BKey", auth="auth")
    db.session.add(device)
    db.session.commit()
    return device


def states(**where) -> list[tuple[str, str, str]]:
    q = db.session.query(Reminder).filter_by(**where).order_by(Reminder.id)
    return [(r.kind, r.state, r.outcome) for r in q]
