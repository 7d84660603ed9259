"""Fixtures in the style of Flask's tutorial: app, client, runner, and signing in as a role.

The schema is made once per test session (a SQLite file, or a PostgreSQL schema of its own when
DATABASE_URL is set, as in CI's second pass), and one app serves it. Each test runs inside a
SAVEPOINT on one connection that is rolled back afterwards: every session the app opens joins that
connection with a savepoint of its own, so the request boundary's commit and rollback behave as
they do in production, and nothing a test writes outlives it.

A test that needs real commits seen from other connections (threads, a live server, the CLI and
migrations) or its own app (a route or a hook added, an extension bound again) is marked
`@pytest.mark.fresh_database`: its `app` is then a new app on an empty database, as `fresh_app`
makes.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

import pytest
from flask import current_app
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.orm import close_all_sessions

from worker_app import create_app, querycount
from worker_app.config import TestConfig, _database_url
from worker_app.extensions import db, limiter
from worker_app.models import Follows, Permission, Role, SupportLink, User
from worker_app.models.types import utcnow
from worker_app.services import auth as auth_service

PASSWORD = "correct-horse-battery"
# The shared schema's name on PostgreSQL; fresh databases use the database's default schema.
SHARED_SCHEMA = "pytest_shared"


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


def _commit_test_work(_exc=None):
    """What a test does in its own app context (make people, push a checklist) is one unit of
    work committed when the context ends, as a flask command is: services only flush. A
    request has already committed or rolled back by now (web.commit_request), so this changes
    nothing for requests."""
    session = db.session()
    if session.in_transaction() and session.get_transaction().is_active:
        session.commit()
    else:
        session.rollback()


@contextmanager
def fresh_app(tmp_path, **overrides):
    """A new app on an empty database with real commits, emptied again afterwards."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": database_uri(tmp_path),
                                  "READ_ALOUD_DIR": str(tmp_path / "read-aloud"), **overrides})
    app.teardown_appcontext(_commit_test_work)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


class _JoinedSession(FlaskSession):
    """The shared app's sessions join the shared connection, each with a savepoint of its own
    (SQLAlchemy's join_transaction_mode="create_savepoint"); any other app's sessions (a
    fresh_app, even inside the same test) use their app's engine as usual."""

    connections: dict = {}  # app -> the connection its sessions join

    def __init__(self, db, **kwargs):
        connection = self.connections.get(current_app._get_current_object())
        if connection is not None:
            kwargs.update(bind=connection, join_transaction_mode="create_savepoint")
        super().__init__(db, **kwargs)

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        # Flask-SQLAlchemy picks the app's engine and ignores a session's own bind.
        return bind or self.bind or super().get_bind(mapper=mapper, clause=clause, **kwargs)


def _savepoints_on_sqlite(engine) -> None:
    """pysqlite starts and ends transactions on its own, which breaks SAVEPOINT; let SQLAlchemy
    issue BEGIN itself (SQLAlchemy's documented recipe)."""

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


class SharedDatabase:
    """One app and one connection with an outer transaction for the whole session; layers of
    data (a module's world, a test) are savepoints on it."""

    def __init__(self, app, connection):
        self.app, self.connection = app, connection
        # The rate limiter is one object for every app; a fresh app binding it with limits on
        # must not leave them on for the shared app.
        self.limiter_state = dict(vars(limiter))

    @contextmanager
    def layer(self):
        """A savepoint: everything written inside, and any change to the app's config, is
        undone at the end."""
        config = dict(self.app.config)
        vars(limiter).update(self.limiter_state)
        savepoint = self.connection.begin_nested()
        try:
            yield self.app
        finally:
            vars(limiter).update(self.limiter_state)
            close_all_sessions()
            db.session.registry.registry.clear()  # no closed session is handed out again
            if savepoint.is_active:
                savepoint.rollback()
            self.app.config.clear()
            self.app.config.update(config)


@pytest.fixture(scope="session")
def _shared_database(tmp_path_factory):
    if os.environ.get("DATABASE_URL"):
        url = make_url(_database_url())
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SHARED_SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SHARED_SCHEMA}"))
        uri = url.update_query_dict({"options": f"-csearch_path={SHARED_SCHEMA}"})
        uri = uri.render_as_string(hide_password=False)
    else:
        admin = None
        uri = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'test.sqlite3'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri,
                                  "READ_ALOUD_DIR": str(tmp_path_factory.mktemp("read-aloud"))})
    app.teardown_appcontext(_commit_test_work)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _savepoints_on_sqlite(engine)
        db.create_all()
    connection = engine.connect()
    outer = connection.begin()
    factory = db.session.session_factory
    original_class, factory.class_ = factory.class_, _JoinedSession
    _JoinedSession.connections[app] = connection
    yield SharedDatabase(app, connection)
    factory.class_ = original_class
    del _JoinedSession.connections[app]
    close_all_sessions()
    outer.rollback()
    connection.close()
    engine.dispose()
    if admin is not None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SHARED_SCHEMA} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="module")
def module_app(_shared_database):
    """The shared app inside a savepoint that lasts for the module: for a world built once per
    module (module-scoped fixtures that take this), rolled back after the module's last test."""
    with _shared_database.layer() as app:
        yield app


@pytest.fixture
def app(request, tmp_path):
    if request.node.get_closest_marker("fresh_database"):
        with fresh_app(tmp_path) as app:
            yield app
        return
    with request.getfixturevalue("_shared_database").layer() as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def user_maker(app):
    """make(role, name=None, **fields): create a user of a role; staff get PASSWORD. Returns the
    user, detached, with its id."""
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


def follower(app):
    def make(specialist: User, worker: User) -> None:
        with app.app_context():
            db.session.add(Follows(specialist_id=specialist.id, worker_id=worker.id))
            db.session.commit()

    return make


def linker(app):
    def make(worker: User, supporter: User, *permissions: Permission, confirmed=True) -> int:
        with app.app_context():
            link = SupportLink(worker_id=worker.id, supporter_id=supporter.id, relation="mor",
                               confirmed_at=utcnow() if confirmed else None,
                               **{p.value: True for p in permissions})
            db.session.add(link)
            db.session.commit()
            return link.id

    return make


@pytest.fixture
def make_user(app):
    """Create a user of a role; staff get PASSWORD. Returns the user's id-stable object."""
    return user_maker(app)


@pytest.fixture
def follow(app):
    return follower(app)


@pytest.fixture
def support_link(app):
    return linker(app)


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
            if user.role == Role.ADMIN:
                second_factor_passed(app, user)
        assert response.status_code == 302, response.data[:500]
        return response

    return do


def second_factor_passed(app, user: User) -> None:
    """Admins pass a second factor before any admin page works (worker_app/security). The
    tests' admins sign in with the password and their open sessions are then marked as having
    passed it, so admin pages answer as before; tests/web/test_second_factor.py walks the real
    second step, and the matrix sends an admin who has not passed it to enrol."""
    from sqlalchemy import update

    from worker_app.models import UserSession

    with app.app_context():
        db.session.execute(update(UserSession).where(UserSession.user_id == user.id,
                                                     UserSession.ended_at.is_(None))
                           .values(second_factor_at=utcnow()))
        db.session.commit()


def build_people(make_user, follow, support_link):
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


@pytest.fixture
def people(make_user, follow, support_link):
    """A small world: a specialist with two workers, another specialist, a support person,
    an organizer and an admin (build_people; a module can build it once with module_app)."""
    return build_people(make_user, follow, support_link)


@contextmanager
def count_queries(app):
    """Count the SQL statements run inside the block (querycount's rule of what a query is)."""
    with app.app_context():
        engine = db.engine
    with querycount.counting(engine) as statements:
        yield statements


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
