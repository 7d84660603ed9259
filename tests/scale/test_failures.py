"""When a part fails under load: PostgreSQL restarts, an app server dies, Redis goes away.

These tests start a PostgreSQL and a Redis of their own (own ports, own folders under /tmp) and
two app servers on them, and stop and kill only those. Each load is bounded in phones, steps and
seconds.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest

from tests.conftest import PASSWORD
from tests.scale import world
from tests.scale.conftest import needs_postgres_and_redis, schema_on, start_pair
from tests.scale.servers import AppServer, OwnPostgres, OwnRedis, Phone, have_own_servers

pytestmark = [needs_postgres_and_redis,
              pytest.mark.skipif(bool(have_own_servers()), reason=have_own_servers() or "-")]

STEPS = 30  # per phone's checklist
LOAD_SECONDS = 60  # the most any load here may take


@dataclass
class Own:
    postgres: OwnPostgres
    redis: OwnRedis
    data: object
    a: AppServer
    b: AppServer

    @property
    def servers(self) -> tuple[AppServer, AppServer]:
        return self.a, self.b


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    postgres, redis = OwnPostgres(), OwnRedis()
    try:
        postgres.start()
        redis.start()
        with schema_on(postgres.url) as data:
            a, b = start_pair(postgres.url, redis.url, tmp_path_factory.mktemp("own-servers"))
            try:
                yield Own(postgres, redis, data, a, b)
            finally:
                a.stop()
                b.stop()
    finally:
        postgres.remove()
        redis.remove()


def signed_in(own: Own, address: str, worker: int, server: AppServer) -> Phone:
    phone = Phone(address, {"wa_device": world.device_cookie(own.data, worker)}, timeout=20)
    assert phone.get(server, "/").status == 200
    return phone


@dataclass
class Ticker:
    """One phone going through its checklist, one Ferdig after another, as fast as the server
    lets it. A step counts as acknowledged only when the server answered with its redirect; on
    an error it tries the same step again, and when its server does not answer at all it goes
    to the other one (as a load balancer would)."""

    phone: Phone
    assignment: int
    servers: list[AppServer]
    acknowledged: list[int] = field(default_factory=list)
    errors: list[tuple[float, str, str]] = field(default_factory=list)  # when, server, what
    served: dict[str, int] = field(default_factory=dict)  # good answers per server
    csrf: str = ""

    def run(self, deadline: float, pause: float = 0.05) -> None:
        position = 1
        while position <= STEPS and time.monotonic() < deadline:
            server = self.servers[0]
            try:
                answer = self.phone.post(server, f"/tasks/{self.assignment}/step/{position}/done",
                                         {"csrf_token": self.csrf})
            except OSError as problem:  # refused or cut off: this server is gone
                self.errors.append((time.monotonic(), server.name, type(problem).__name__))
                self.phone.forget(server)
                self.servers.reverse()
                time.sleep(pause)
                continue
            if answer.status == 302:
                self.acknowledged.append(position)
                self.served[server.name] = self.served.get(server.name, 0) + 1
                position += 1
            else:
                self.errors.append((time.monotonic(), server.name, str(answer.status)))
                time.sleep(0.2)
            time.sleep(pause)


def tickers(own: Own, phones: int, prefix: str) -> list[Ticker]:
    made = []
    for i in range(phones):
        worker = world.person(own.data, "worker", f"{prefix} {i + 1}")
        assignment = world.checklist_for(own.data, worker, steps=STEPS)
        server = own.servers[i % 2]
        ticker = Ticker(signed_in(own, f"10.8.{i}.1", worker, server), assignment, [server, own.servers[(i + 1) % 2]])
        ticker.csrf = ticker.phone.get(server, f"/tasks/{assignment}/step/1").csrf()
        made.append(ticker)
    return made


def start_load(load: list[Ticker]) -> list[threading.Thread]:
    deadline = time.monotonic() + LOAD_SECONDS
    threads = [threading.Thread(target=t.run, args=(deadline,), daemon=True) for t in load]
    for thread in threads:
        thread.start()
    return threads


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def assert_each_step_once(own: Own, load: list[Ticker]) -> None:
    """Everything acknowledged is there, nothing twice, and every checklist was finished."""
    for ticker in load:
        assert ticker.acknowledged == list(range(1, STEPS + 1)), ticker.errors[-5:]
        done = world.ticks(own.data, ticker.assignment)
        assert len(done) == STEPS and len(set(done)) == STEPS
        [run] = world.runs(own.data, ticker.assignment)
        assert run.finished_at is not None


def test_postgres_restarted_under_load_pages_answer_and_recover_with_no_lost_or_doubled_tick(own):
    a, b = own.servers
    load = tickers(own, 4, "Omstart")
    reader = signed_in(own, "10.8.9.1", world.person(own.data, "worker"), a)
    threads = start_load(load)
    wait_for(lambda: all(len(t.acknowledged) >= 3 for t in load), 30, "3 steps on each phone")

    own.postgres.stop("fast")  # ends every connection the app servers hold
    try:
        wait_for(lambda: all(t.errors for t in load), 15, "every phone to meet the outage")
        for server in (a, b):
            started = time.monotonic()
            page = reader.get(server, "/")
            # The page answers at once (no hanging): a 503 in the worker frame, so the safety
            # call is still one tap away while the database is down.
            assert time.monotonic() - started < 5
            assert page.status == 503
            assert 'href="tel:' in page.text, page.text[:300]
        time.sleep(1)
    finally:
        own.postgres.start_again()

    for thread in threads:
        thread.join(LOAD_SECONDS)
    assert_each_step_once(own, load)
    for server in (a, b):  # by themselves: no server was restarted
        assert reader.get(server, "/").status == 200
    assert all(status.isdigit() and int(status) >= 500 for t in load for _w, _s, status in t.errors)


def test_an_app_server_killed_mid_load_the_other_keeps_serving_and_nothing_acknowledged_is_lost(own, tmp_path):
    a, b = own.servers
    load = tickers(own, 4, "Stans")
    threads = start_load(load)
    wait_for(lambda: all(len(t.acknowledged) >= 3 for t in load), 30, "3 steps on each phone")
    killed_at = time.monotonic()
    a.kill()
    try:
        for thread in threads:
            thread.join(LOAD_SECONDS)
        assert_each_step_once(own, load)
        # B answered every request it got, before and after A died; A's phones moved to B.
        assert not [e for t in load for e in t.errors if e[1] == "b"]
        assert all(t.served.get("b") for t in load)
        moved = [t for t in load if any(e[1] == "a" and e[0] >= killed_at for e in t.errors)]
        assert moved, "no phone was using A when it died"
    finally:
        a.start().wait_ready()  # for the tests after this one


def test_redis_down_sign_in_still_works_and_each_process_still_limits_tries(own):
    a, b = own.servers
    worker = world.person(own.data, "worker", "Kari Uten-Redis")
    email = world.email_of(own.data, world.person(own.data, "specialist"))
    own.redis.stop()
    try:
        # A worker opens a new sign-in link, on A.
        token = world.sign_in_token(own.data, worker)
        phone = Phone("10.9.0.1")
        form = phone.get(a, f"/signin/{token}")
        assert phone.post(a, f"/signin/{token}", {"csrf_token": form.csrf()}).status == 302
        assert "Hei, Kari." in phone.get(b, "/").text
        # Staff sign in with their password, on B.
        staff = Phone("10.9.0.2")
        answer = staff.post(b, "/login", {"csrf_token": staff.get(b, "/login").csrf(),
                                          "email": email, "password": PASSWORD})
        assert answer.status == 302 and answer.location.endswith("/staff")
        # Guessing is still limited, by each process on its own: A has 2 workers, so at most
        # 2 x 10 wrong tries pass before the 429. (Another person: a right password makes the
        # app hash it again at full cost, and every wrong try would then take that long.)
        email = world.email_of(own.data, world.person(own.data, "specialist"))
        guesser = Phone("10.9.0.3")
        token = guesser.get(a, "/login").csrf()
        codes = [guesser.post(a, "/login", {"csrf_token": token, "email": email, "password": "wrong"}).status
                 for _ in range(21)]
        assert set(codes[:10]) == {400} and set(codes) == {400, 429}
        assert "Rate limit storage unreachable - falling back to in-memory storage" in a.log.read_text()
    finally:
        own.redis.start()
