"""Fixtures in the style of Flask's tutorial: app, client, runner, and signing in as a role.

Each test gets a fresh database: a SQLite file of its own, or — when DATABASE_URL is set, as in
CI's second pass — the PostgreSQL database emptied and created again.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from worker_app import create_app
from worker_app.config import TestConfig, _database_url
from worker_app.extensions import db
from worker_app.models import Follows, Permission, Role, SupportLink, User
from worker_app.models.types import utcnow
from worker_app.services import auth as auth_service

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashing():
    """argon2id at its production cost makes each staff sign-in slow; tests use a light one."""
    from argon2 import PasswordHasher

    original = auth_service._hasher
    auth_service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth_service._hasher = original


def database_uri(tmp_path) -> str:
    if os.environ.get("DATABASE_URL"):
        return _database_url()
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@contextmanager
def fresh_app(tmp_path, **overrides):
    """An app on an empty database, emptied again afterwards."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
                                  "READ_ALOUD_DIR": str(tmp_path / "read-aloud"), **overrides})
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    with fresh_app(tmp_path) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user of a role; staff get PASSWORD. Returns the user's id-stable object."""
    counter = {"n": 0}

    def make(role: str, name: str | None = None, **fields) -> User:
        counter["n"] += 1
        role = Role(role)
        name = name or f"{role.value.title()} Testesen {counter['n']}"
        with app.app_context():
            user = User(name=name, role=role.value, **fields)
            if role in (Role.SPECIALIST, Role.ORGANIZER, Role.ADMIN):
                user.email = user.email or f"{role.value}{counter['n']}@test.no"
                user.password_hash = auth_service.hash_password(PASSWORD)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def follow(app):
    def make(specialist: User, worker: User) -> None:
        with app.app_context():
            db.session.add(Follows(specialist_id=specialist.id, worker_id=worker.id))
            db.session.commit()

    return make


@pytest.fixture
def support_link(app):
    def make(worker: User, supporter: User, *permissions: Permission, confirmed=True) -> int:
        with app.app_context():
            link = SupportLink(worker_id=worker.id, supporter_id=supporter.id, relation="mor",
                               confirmed_at=utcnow() if confirmed else None,
                               **{p.value: True for p in permissions})
            db.session.add(link)
            db.session.commit()
            return link.id

    return make


def new_sign_in_token(app, user: User) -> str:
    with app.app_context():
        person = db.session.get(User, user.id)
        _link, token = auth_service.make_sign_in_link(
            db.session, person, None, app.config["SIGN_IN_LINK_LIFETIME"]
        )
        return token


@pytest.fixture
def sign_in(app):
    """Sign a test client in the real way: a sign-in link for workers and support persons,
    e-mail and password for staff."""

    def do(client, user: User):
        if user.role in (Role.WORKER, Role.SUPPORT):
            token = new_sign_in_token(app, user)
            response = client.post(f"/signin/{token}")
        else:
            response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.data[:500]
        return response

    return do


@pytest.fixture
def people(make_user, follow, support_link):
    """A small world: a specialist with two workers, another specialist, a support person,
    an organizer and an admin."""

    class World:
        specialist = make_user("specialist", "Kari Nordmann")
        other_specialist = make_user("specialist", "Per Hansen")
        worker = make_user("worker", "Ola Johansen")
        second_worker = make_user("worker", "Emma Larsen")
        stranger_worker = make_user("worker", "Jonas Berg")
        supporter = make_user("support", "Anne Johansen")
        organizer = make_user("organizer", "Siri Frivillig")
        admin = make_user("admin", "Ingrid Admin")

    follow(World.specialist, World.worker)
    follow(World.specialist, World.second_worker)
    follow(World.other_specialist, World.stranger_worker)
    World.link_id = support_link(World.worker, World.supporter, Permission.SEE_SHIFTS)
    return World


@contextmanager
def count_queries(app):
    """Count the SQL statements run inside the block."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK)", statement):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def main_text(html: str, without_dates: bool = False) -> str:
    """The words inside <main>, as a person reads them.

    without_dates leaves out <time> elements: dates written out by Babel ("fredag 4. desember")
    are required by the easy-read rules, and their month names are not words a writer chose.
    """
    match = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    body = match.group(1) if match else html
    if without_dates:
        body = re.sub(r"<time[^>]*>.*?</time>", " ", body, flags=re.S)
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    # Each block, button and link is read on its own, as a line of its own.
    body = re.sub(r"</(p|li|h\d|button|a|label|legend|div|section|td|th)>", "\n", body)
    text = re.sub(r"<[^>]+>", " ", body)
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
