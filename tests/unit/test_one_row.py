"""Reads of at most one row, alone or side by side in one statement (services/one_row.py):
together, each read gives the answer it gives alone, found or not."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Event, Shift, Signup, User, Workplace
from worker_app.services import events, followup, one_row, reminders


def _reads(worker, now):
    return (reminders.current_or_next_read(worker, now), followup.my_job_read(worker, now),
            events.next_going_read(worker, now))


def _alone(worker, now):
    return [one_row.read(db.session, one) for one in _reads(worker, now)]


def test_together_each_read_answers_as_alone_when_nothing_is_found(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        now = datetime.now(UTC)
        together = one_row.read_together(db.session, *_reads(worker, now))
        assert together == _alone(worker, now)
        (shift, answer), job, event = together
        assert shift is None and answer is None and event is None
        assert job.workplace is None and job.trial is None


def test_together_each_read_answers_as_alone_when_each_finds_its_row(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        now = datetime.now(UTC)
        place = Workplace(name="Kafé Sol", contact_name="Lars Vik", contact_phone="55000000")
        db.session.add(place)
        db.session.flush()
        worker.workplace_id = place.id
        db.session.add(Shift(worker_id=worker.id, workplace_id=place.id, starts_at=now + timedelta(hours=2),
                             ends_at=now + timedelta(hours=5)))
        event = Event(title="Bowling", place="Bowling-hallen", starts_at=now + timedelta(days=2),
                      ends_at=now + timedelta(days=2, hours=2))
        db.session.add(event)
        db.session.flush()
        db.session.add(Signup(event_id=event.id, worker_id=worker.id, state="going", queued_at=now))
        db.session.flush()
        with count_queries(app) as statements:
            together = one_row.read_together(db.session, *_reads(worker, now))
        assert len(statements) == 1
        assert together == _alone(worker, now)
        (shift, _answer), job, next_event = together
        assert shift.workplace.name == job.workplace.name == "Kafé Sol"
        assert next_event.title == "Bowling"


def test_reads_that_disagree_on_a_value_are_refused(app, people):
    with app.app_context():
        worker = db.session.get(User, people.worker.id)
        now = datetime.now(UTC)
        with pytest.raises(ValueError):
            one_row.read_together(db.session, events.next_going_read(worker, now),
                                  events.next_going_read(worker, now + timedelta(minutes=1)))
