"""Two app servers (A and B) as in production, on one PostgreSQL database and one Redis.

They run when DATABASE_URL is PostgreSQL and REDIS_URL is set (CI's second pass: .ci/run);
otherwise they are skipped and say why. The schema is made once per module; each test makes its
own people and things, so the tests do not depend on each other.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import Flask

from tests.scale.servers import AppServer, Phone
from worker_app import create_app
from worker_app.config import TestConfig, _database_url
from worker_app.extensions import db

REDIS_URL = os.environ.get("REDIS_URL", "")


def skip_reason() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgresql://", "postgres://")):
        return "needs PostgreSQL: set DATABASE_URL (bash scripts/start-postgres.sh starts one and prints it)"
    if not REDIS_URL:
        return "needs Redis: set REDIS_URL (bash scripts/start-redis.sh starts one and prints it)"
    return ""


needs_postgres_and_redis = pytest.mark.skipif(bool(skip_reason()), reason=skip_reason() or "-")


@pytest.fixture(autouse=True)
def _close_phones():
    yield
    while Phone.made:
        Phone.made.pop().close()


@contextmanager
def schema_on(url: str):
    """An in-process app on `url` with the tables made (and dropped again afterwards): it makes
    the people and things of a test and reads what the servers did."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        db.create_all()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@dataclass
class Stack:
    data: Flask
    a: AppServer
    b: AppServer

    @property
    def servers(self) -> tuple[AppServer, AppServer]:
        return self.a, self.b


def start_pair(url: str, redis_url: str, log_dir, **kw) -> tuple[AppServer, AppServer]:
    """A and B with the same secret key (as every process behind one load balancer must have)."""
    key, prefix = secrets.token_hex(32), f"scale-{secrets.token_hex(4)}"
    pair = tuple(AppServer(name, url, redis_url, key, log_dir, key_prefix=prefix, **kw).start()
                 for name in ("a", "b"))
    try:
        for server in pair:
            server.wait_ready()
    except Exception:
        for server in pair:
            server.stop()
        raise
    return pair


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with schema_on(_database_url()) as data:
        a, b = start_pair(_database_url(), REDIS_URL, tmp_path_factory.mktemp("servers"))
        try:
            yield Stack(data, a, b)
        finally:
            a.stop()
            b.stop()
