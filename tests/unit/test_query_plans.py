"""How the database runs I dag's shift read: its "has a shift of today ended?" question looks at
today's shifts only, however many shifts the worker has to come.

The number of queries a page makes is held by tests/web/test_queries.py; this holds part of the
other half of "a page costs the same whatever the data size": a read whose index range is open
at one end reads every row past it. On the bench's data set, the question, bounded only below,
read all of the worker's shifts to come (half a year of them, up to 74 pages of the database
file on each visit of I dag) to find those of today.

SQLite's EXPLAIN QUERY PLAN names the index and the bounds it searches by; PostgreSQL's plans
depend on its statistics, which a test database does not have, so these run on SQLite only."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from worker_app.extensions import db
from worker_app.models import User
from worker_app.services import reminders


def _plan(read) -> list[str]:
    """The lines of SQLite's plan for a OneRow read: asked on the DB-API cursor just before
    SQLAlchemy runs the read, with the statement and values exactly as it sends them."""
    plan: list[str] = []

    def explain(_conn, cursor, statement, parameters, _context, _many):
        plan.extend(row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))

    event.listen(db.engine, "before_cursor_execute", explain)
    try:
        db.session.connection().execute(read.query, read.params).all()
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)
    return plan


def test_whether_a_shift_has_ended_today_reads_only_today_s_shifts(app, people):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's query plan (PostgreSQL's depends on its statistics)")
        worker = db.session.get(User, people.worker.id)
        plan = _plan(reminders.current_or_next_read(worker, datetime.now(UTC)))
    ended_today = [line for line in plan if line.startswith("SEARCH shift_1 ")]
    assert ended_today, plan
    # Both ends of the start: from midnight to now (an ended shift began before now).
    assert all("starts_at>? AND starts_at<?" in line for line in ended_today), plan
    assert not any(line.startswith("SCAN shift") for line in plan), plan
