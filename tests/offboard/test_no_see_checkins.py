"""SEE_CHECKINS is gone: a permission for a check-in that does not exist yet. The check-in
(issue 16) brings its own, asked for afresh."""

import os

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from worker_app import create_app
from worker_app.config import ROOT, TestConfig, _database_url
from worker_app.extensions import db
from worker_app.models import Permission
from worker_app.policy import Action

BEFORE = "year_0001"  # the revision offboard_0001 follows


def test_the_permission_is_nowhere_to_grant(app, people, sign_in):
    assert "see_checkins" not in {p.value for p in Permission}
    # The check-in's own action (issue 16) has the name; it is granted by fresh choices only.
    assert Action.SEE_CHECKINS.value == "see_checkins"
    specialist = app.test_client()
    sign_in(specialist, people.specialist)
    page = specialist.get(f"/staff/workers/{people.worker.id}").text
    assert 'value="see_checkins"' not in page and "hvordan det går på jobb" not in page
    asked = specialist.post(f"/staff/workers/{people.worker.id}/support", data={
        "supporter": str(people.supporter.id), "relation": "mor", "permissions": ["see_checkins"]})
    assert asked.status_code == 400
    worker = app.test_client()
    sign_in(worker, people.worker)
    assert "hvordan du har det på jobb" not in worker.get("/sharing").text
    assert worker.get(f"/sharing/{people.link_id}/stop/see_checkins").status_code == 404


@pytest.mark.fresh_database
def test_the_migration_deletes_every_grant_and_keeps_the_rest(tmp_path):
    url = _database_url() if os.environ.get("DATABASE_URL") else f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    migrations = str(ROOT / "migrations")
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=migrations, revision=BEFORE)
        with db.engine.begin() as connection:
            for uid, role in ((1, "worker"), (2, "support")):
                connection.execute(text(
                    'INSERT INTO "user" (id, name, role, active, session_version, created_at, locale, '
                    "text_size, read_aloud, checklist_mode, calendar_version, reminders_off, "
                    "calendar_alarms, escalate_minutes) VALUES (:id, 'X', :role, true, 1, "
                    "CURRENT_TIMESTAMP, 'nb', 'normal', true, 'step', 1, '', true, 10)"),
                    {"id": uid, "role": role})
            connection.execute(text(
                "INSERT INTO support_link (id, worker_id, supporter_id, relation, see_shifts, "
                "see_tasks, tick_tasks, see_checkins, sign_up_events, notify_not_left, created_at) "
                "VALUES (1, 1, 2, 'mor', true, false, false, true, false, false, CURRENT_TIMESTAMP)"))
        upgrade(directory=migrations, revision="offboard_0001")
        columns = {c["name"] for c in inspect(db.engine).get_columns("support_link")}
        assert "see_checkins" not in columns
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT see_shifts FROM support_link")).scalar() in (1, True)
        downgrade(directory=migrations, revision=BEFORE)
        with db.engine.connect() as connection:  # back down, nobody has it
            assert connection.execute(text("SELECT see_checkins FROM support_link")).scalar() in (0, False)
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.engine.dispose()
