"""`flask retention run`: old audit entries and old help requests (with their reasons) go."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from worker_app.extensions import db
from worker_app.models import AuditEntry, HelpRequest, Reminder, User
from worker_app.models.types import utcnow

pytestmark = pytest.mark.fresh_database  # the command commits each batch itself


def _world(app, make_user):
    worker = make_user("worker", "Ola Johansen")
    specialist = make_user("specialist", "Kari Nordmann")
    now = utcnow()
    with app.app_context():
        s = db.session
        for days in (800, 731, 729, 1):
            s.add(AuditEntry(actor_id=specialist.id, action="worker.view", worker_id=worker.id,
                             at=now - timedelta(days=days), detail=f"{days}"))
        rows = {
            "old_handled": HelpRequest(worker_id=worker.id, reason="sick", created_at=now - timedelta(days=400),
                                       handled_at=now - timedelta(days=380), handled_by_id=specialist.id),
            "recently_handled": HelpRequest(worker_id=worker.id, reason="sad", created_at=now - timedelta(days=400),
                                            handled_at=now - timedelta(days=300)),
            "old_open": HelpRequest(worker_id=worker.id, reason="unsafe", created_at=now - timedelta(days=370)),
            "new_open": HelpRequest(worker_id=worker.id, reason="late", created_at=now - timedelta(days=2)),
        }
        s.add_all(rows.values())
        s.flush()
        s.add(Reminder(key="help:old", user_id=specialist.id, worker_id=worker.id, kind="help",
                       help_request_id=rows["old_handled"].id, due_at=now - timedelta(days=400)))
        s.commit()
        return {k: r.id for k, r in rows.items()}


def test_old_rows_go_new_ones_stay_and_a_second_run_does_nothing(app, runner, make_user):
    ids = _world(app, make_user)
    result = runner.invoke(args=["retention", "run", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "audit entries deleted: 2 (older than 730 days)" in result.output
    assert "help requests deleted: 2 (older than 365 days)" in result.output
    with app.app_context():
        assert sorted(db.session.scalars(select(AuditEntry.detail))) == ["1", "729"]
        left = set(db.session.scalars(select(HelpRequest.id)))
        assert left == {ids["recently_handled"], ids["new_open"]}
        assert db.session.scalar(select(db.func.count()).select_from(Reminder)) == 0
    again = runner.invoke(args=["retention", "run"])
    assert "audit entries deleted: 0" in again.output and "help requests deleted: 0" in again.output


def test_the_limits_come_from_the_settings(app, runner, make_user):
    _world(app, make_user)
    app.config.update(AUDIT_RETENTION_DAYS=100, HELP_RETENTION_DAYS=1000)
    result = runner.invoke(args=["retention", "run"])
    assert "audit entries deleted: 3 (older than 100 days)" in result.output
    assert "help requests deleted: 0 (older than 1000 days)" in result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 2


def test_each_batch_is_its_own_transaction(app, runner, make_user, monkeypatch):
    """A failure in the second batch keeps the first batch's deletions and loses nothing else."""
    _world(app, make_user)
    from worker_app import retention

    calls = {"n": 0}
    real = retention.db.session.commit

    def commit_then_fail():
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database gone")
        real()

    monkeypatch.setattr(retention.db.session, "commit", commit_then_fail)
    result = runner.invoke(args=["retention", "run", "--batch", "1"])
    assert result.exit_code != 0
    monkeypatch.undo()
    with app.app_context():
        db.session.remove()
        assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == 3
