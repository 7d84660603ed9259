"""The CLI and the migrations, on a database of their own with real commits."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import select, text

from worker_app import create_app
from worker_app.config import ROOT, TestConfig, _database_url
from worker_app.extensions import db
from worker_app.models import SupportLink, User

pytestmark = pytest.mark.fresh_database


def test_seed_demo_is_idempotent_and_prints_sign_in_lines(app, runner):
    first = runner.invoke(args=["seed-demo", "--base-url", "http://127.0.0.1:5000"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["seed-demo", "--base-url", "http://127.0.0.1:5000"])
    assert second.exit_code == 0
    lines = [line.split("\t") for line in second.output.strip().splitlines()]
    roles = [line[0] for line in lines]
    assert roles.count("worker") == 4 and roles.count("support") == 2
    assert roles.count("specialist") == 2 and roles.count("organizer") == 1
    assert roles.count("admin") == 1 and roles.count("api-token") == 1
    for role, _name, sign_in, *password in lines:
        if role == "api-token":
            assert sign_in.startswith("wa_") and not password
        elif role in ("worker", "support"):
            assert sign_in.startswith("http://127.0.0.1:5000/signin/") and not password
        else:
            assert "@" in sign_in and len(password) == 1
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 10
        links = db.session.scalars(select(SupportLink)).all()
        assert len(links) == 2 and links[0].permissions() != links[1].permissions()


def test_the_printed_demo_token_works_and_only_the_newest_one(app, runner):
    def token_of(output):
        return next(line for line in output.splitlines() if line.startswith("api-token\t")).split("\t")[2]

    first = token_of(runner.invoke(args=["seed-demo"]).output)
    second = token_of(runner.invoke(args=["seed-demo"]).output)
    client = app.test_client()
    answer = client.get("/api/v1/workers", headers={"Authorization": f"Bearer {second}"})
    assert answer.status_code == 200
    assert {w["name"] for w in answer.json["items"]} == {"Ola Johansen", "Emma Larsen"}
    assert client.get("/api/v1/workers", headers={"Authorization": f"Bearer {first}"}).status_code == 401


def test_a_printed_demo_link_signs_the_worker_in(app, runner):
    output = runner.invoke(args=["seed-demo", "--base-url", "http://localhost"]).output
    line = next(line for line in output.splitlines() if line.startswith("worker\t"))
    path = line.split("\t")[2].removeprefix("http://localhost")
    client = app.test_client()
    assert client.post(path).status_code == 302
    assert "Hei," in client.get("/").text


def test_migrations_build_the_same_schema_as_the_models(tmp_path):
    """On a fresh database (SQLite here, PostgreSQL in CI's second pass)."""
    url = _database_url() if os.environ.get("DATABASE_URL") else f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _drop_everything()
        upgrade(directory=str(ROOT / "migrations"))
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        _drop_everything()
        db.engine.dispose()
    assert diff == []


def _drop_everything():
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def test_roster_keys_get_their_owner_from_the_audit_log_or_the_follower(tmp_path):
    """guard_0001: shifts sent before keys were per owner get the person who sent them."""
    from flask_migrate import downgrade

    url = _database_url() if os.environ.get("DATABASE_URL") else f"sqlite:///{tmp_path / 'r.sqlite3'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _drop_everything()
        upgrade(directory=str(ROOT / "migrations"), revision=BEFORE_GUARD)
        with db.engine.begin() as connection:  # as they were then (today's models have more)
            for uid, name, role in ((1, "Kari", "specialist"), (2, "Per", "specialist"),
                                    (3, "Ola", "worker"), (4, "Jonas", "worker")):
                connection.execute(text(
                    'INSERT INTO "user" (id, name, role, active, session_version, created_at, locale, '
                    "text_size, read_aloud, checklist_mode, calendar_version, reminders_off, "
                    "calendar_alarms, escalate_minutes) VALUES (:id, :name, :role, true, 1, "
                    "CURRENT_TIMESTAMP, 'nb', 'normal', true, 'step', 1, '', true, 10)"),
                    {"id": uid, "name": name, "role": role})
            per, ola, jonas = 2, 3, 4  # Kari is 1: she follows Ola
            connection.execute(text("INSERT INTO follows (specialist_id, worker_id) VALUES (1, 3), (2, 4)"))
            # Per sent R-1 for Ola (the log says so); nobody is logged for R-2.
            connection.execute(text("INSERT INTO audit_entry (at, actor_id, action, worker_id, detail) "
                                    "VALUES (CURRENT_TIMESTAMP, 2, 'shift.create', 3, 'hotel:R-1')"))
        with db.engine.begin() as connection:
            for shift_id, worker_id, external in [(1, ola, "R-1"), (2, jonas, "R-2")]:
                connection.execute(text(
                    "INSERT INTO shift (id, worker_id, starts_at, ends_at, note, created_at, external_source,"
                    " external_id) VALUES (:id, :worker, '2030-01-07 08:00:00', '2030-01-07 11:00:00', '',"
                    " '2030-01-01 08:00:00', 'hotel', :external)"),
                    {"id": shift_id, "worker": worker_id, "external": external})
        expected = [(1, per), (2, per)]
        upgrade(directory=str(ROOT / "migrations"), revision="guard_0001")
        with db.engine.connect() as connection:
            owners = connection.execute(text("SELECT id, external_owner_id FROM shift ORDER BY id")).all()
        downgrade(directory=str(ROOT / "migrations"), revision=BEFORE_GUARD)
        _drop_everything()
        db.engine.dispose()
    assert [tuple(row) for row in owners] == expected


BEFORE_GUARD = "audit_0001"  # guard_0001's down_revision
