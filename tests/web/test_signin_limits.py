"""Rate limits on every sign-in path count per account as well as per address, so spreading
tries over many addresses gains nothing; the calendar feed counts per feed, so a calendar
provider fetching many people's feeds from one address is not refused; and production refuses
per-process counting (memory://) when more than one process serves."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, new_sign_in_token
from worker_app.config import DEV_SECRET, check_production
from worker_app.extensions import db, limiter
from worker_app.models import User
from worker_app.services import schedule

pytestmark = pytest.mark.fresh_database  # each test turns the limiter on in its own app


@pytest.fixture
def limited(app):
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    yield app
    limiter.reset()


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_11th_wrong_password_for_one_account_is_refused_across_two_addresses(limited, people):
    one, two = _from(limited, "10.0.0.1"), _from(limited, "10.0.0.2")
    email = people.specialist.email
    spellings = [email, email.upper(), f"  {email} "]  # the same account however it is typed
    codes = [(one if i % 2 else two).post("/login", data={"email": spellings[i % 3], "password": "feil"}).status_code
             for i in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429
    # Each address made only 5 or 6 tries: the account's count refused it, not the address's.
    assert _from(limited, "10.0.0.3").post(
        "/login", data={"email": email, "password": PASSWORD}).status_code == 429
    # Another account from the same addresses is not blocked.
    assert one.post("/login", data={"email": people.admin.email, "password": "feil"}).status_code == 400


def test_a_right_password_does_not_count_against_the_account(limited, people):
    for i in range(12):
        client = _from(limited, f"10.0.1.{i}")
        assert client.post("/login", data={"email": people.specialist.email,
                                           "password": PASSWORD}).status_code == 302


def test_sign_in_links_count_per_person_across_addresses(limited, people):
    codes = []
    for i in range(11):
        token = new_sign_in_token(limited, people.worker)  # a new one ends the one before
        codes.append(_from(limited, f"10.0.2.{i}").post(f"/signin/{token}").status_code)
    assert codes[:10] == [302] * 10 and codes[10] == 429
    other = new_sign_in_token(limited, people.second_worker)
    assert _from(limited, "10.0.2.1").post(f"/signin/{other}").status_code == 302


def test_the_picture_code_counts_per_person_across_phones(limited, people, sign_in):
    from worker_app.services import auth as auth_service

    with limited.app_context():
        worker = db.session.get(User, people.worker.id)
        allowed = ["1F600", "1F431", "1F697", "1F34E", "2B50", "1F3E0", "1F436", "1F33B", "1F6B2"]
        auth_service.set_picture_code(db.session, worker, allowed[:3], allowed)
        db.session.commit()
    codes = []
    for phone in range(3):  # each phone is signed out after its 5 wrong tries
        client = _from(limited, f"10.0.3.{phone}")
        sign_in(client, people.worker)
        with client.session_transaction() as session:
            session["locked"] = True
        for _ in range(4):
            codes.append(client.post("/unlock", data={"pictures": ["9999", "8888", "7777"]}).status_code)
    assert codes[:10] == [400] * 10 and 429 in codes[10:]


def test_the_calendar_feed_is_limited_per_feed_not_per_address(limited, people):
    limited.config["CALENDAR_RATE_LIMIT"] = "3 per hour"
    with limited.app_context():
        feeds = [f"/calendar/{schedule.calendar_token(limited.config['SECRET_KEY'], db.session.get(User, p.id))}.ics"
                 for p in (people.worker, people.second_worker, people.stranger_worker)]
    provider = _from(limited, "10.0.4.1")  # one calendar provider, fetching for many people
    assert [provider.get(feed).status_code for feed in feeds] == [200, 200, 200]
    assert [provider.get(feeds[0]).status_code for _ in range(2)] == [200, 200]
    assert provider.get(feeds[0]).status_code == 429  # that feed's 4th fetch this hour
    assert provider.get(feeds[1]).status_code == 200  # the provider's other feeds still work
    assert _from(limited, "10.0.4.2").get(feeds[0]).status_code == 429  # per feed, from anywhere


def test_guessing_feed_addresses_is_limited_per_address(limited, people):
    limited.config["CALENDAR_UNKNOWN_RATE_LIMIT"] = "3 per hour"
    guesser = _from(limited, "10.0.5.1")
    codes = [guesser.get(f"/calendar/{people.worker.id}-{i:040x}.ics").status_code for i in range(4)]
    assert codes == [404, 404, 404, 429]
    with limited.app_context():
        feed = schedule.calendar_token(limited.config["SECRET_KEY"], db.session.get(User, people.worker.id))
    assert _from(limited, "10.0.5.2").get(f"/calendar/{feed}.ics").status_code == 200


# check_production ---------------------------------------------------------------------------

GOOD = {"ENV_NAME": "production", "SECRET_KEY": "k" * 40, "SESSION_COOKIE_SECURE": True,
        "BASE_URL": "https://arbeidsdagen.example.no", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "WORKERS": 2, "ALLOW_MEMORY_RATELIMIT": False}


@pytest.mark.parametrize("changes, refused", [
    ({}, False),
    ({"RATELIMIT_STORAGE_URI": "memory://"}, True),  # two processes, each counting alone
    ({"RATELIMIT_STORAGE_URI": "memory://", "WORKERS": 1}, False),
    ({"RATELIMIT_STORAGE_URI": "memory://", "ALLOW_MEMORY_RATELIMIT": True}, False),
    ({"RATELIMIT_STORAGE_URI": "memory://", "ENV_NAME": "development"}, False),
    ({"SECRET_KEY": DEV_SECRET}, True),
])
def test_check_production(changes, refused):
    config = {**GOOD, **changes}
    if refused:
        with pytest.raises(RuntimeError):
            check_production(config)
    else:
        check_production(config)


@pytest.mark.parametrize("environment, argv, workers", [
    ({}, ["flask"], 1),
    ({"WEB_CONCURRENCY": "3"}, ["gunicorn"], 3),
    ({}, ["/srv/worker_app/.venv/bin/gunicorn", "--workers", "2", "worker_app:create_app()"], 2),
    ({}, ["gunicorn", "-w4"], 4),
    ({"GUNICORN_CMD_ARGS": "--workers=5 --bind 127.0.0.1:8000"}, ["gunicorn"], 5),
    ({}, ["flask", "--workers", "9"], 1),  # not gunicorn's command line
])
def test_the_number_of_processes_is_read_from_gunicorns_settings(monkeypatch, environment, argv, workers):
    from worker_app import config

    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.argv", argv)
    assert config._workers() == workers
