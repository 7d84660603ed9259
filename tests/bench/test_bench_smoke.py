"""The benchmark's own code, so it cannot silently break: the same seeding with a tiny data set,
then the load driver for a few requests per target against a live server (SQLite or, with
DATABASE_URL, PostgreSQL). Timings are not checked here; `make bench` measures them."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from bench import load, run, seed
from tests.conftest import fresh_app
from worker_app.extensions import db


@pytest.fixture
def app(tmp_path):
    """The real app with CSRF on (staff sign in through the form) and query counting on."""
    with fresh_app(tmp_path, WTF_CSRF_ENABLED=True, BENCH_COUNT_QUERIES=True) as app:
        yield app


@pytest.fixture
def live_port(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()


def test_seed_and_drive_every_target(app, live_port):
    with app.app_context():
        seeded = seed.seed(db.engine, seed.Scale.tiny(), lesson_slugs=sorted(app.extensions["lessons"]))
    assert seeded.counts["shift"] > 1000 and seeded.counts["lesson_progress"] == 30 * 20

    host = "127.0.0.1"
    workers = [load.sign_in_worker(host, live_port, c) for c in seeded.device_cookies]
    specialists = [load.sign_in_staff(host, live_port, e, seeded.password) for e in seeded.specialist_emails]
    pools = {"worker": workers, "specialist": specialists, "anonymous": [load.Client(host, live_port)],
             "api": [load.Client(host, live_port)]}
    with app.app_context():
        access = run.api_token(db.engine, seeded)
    targets = [*run.worker_targets(seeded), *run.staff_targets(), *run.api_targets(access, seeded),
               load.Target("health", ["/healthz"], "anonymous")]
    assert [t.who for t in targets].count("api") == 3

    for target in targets:
        result = load.drive(target, pools[target.who], 4)
        assert result.statuses == {200: 4}, (target.name, result.statuses)
        assert len(result.queries) == 4, target.name  # every response said how many queries
        assert result.max_queries == 0 if target.name == "health" else result.max_queries > 0

    visit = load.page_weight(load.Client(host, live_port, dict(workers[0].cookies)), "/")
    assert visit.html_bytes > 0 and visit.assets and visit.first > visit.repeat


def test_report_has_a_row_per_target_and_the_goals():
    results = [load.Result(name, 10, 1.0, [0.01] * 10, {200: 10}, [5] * 10, [1000] * 10)
               for name in ("I dag", "Vakter", "Mine arbeidstakere")]
    health = load.Result("Health check (/healthz)", 10, 0.5, [0.001] * 10, {200: 10}, [0] * 10, [2] * 10)
    outcome = run.Outcome("sqlite", seed.Seeded(), results, health, load.Visit(3000, [("/a.css", 9000, True)]),
                          {}, 8, 10)
    text = run.markdown(outcome)
    assert "| I dag | 10.0 | 10.0 | 10 | 50% | 5 | 1,000 |" in text
    assert "I dag throughput ≥ 40% of the health check | 50% | met" in text
    assert "repeat visit ≤ 10 KB | 2.9 KB | met" in text
    assert "| I dag p95 < 25 ms on sqlite at 8 users | 10.0 ms | met |" in text
    slow = [load.Result("I dag", 10, 1.0, [0.03] * 10, {200: 10}, [5] * 10, [1000] * 10), *results[1:]]
    on_postgres = run.markdown(run.Outcome("postgresql", seed.Seeded(), slow, health, None, {}, 8, 10))
    assert "| I dag p95 < 35 ms on postgresql at 8 users | 30.0 ms | met |" in on_postgres
    assert "| I dag p95 < 25 ms" not in on_postgres
    on_sqlite = run.markdown(run.Outcome("sqlite", seed.Seeded(), slow, health, None, {}, 8, 10))
    assert "| I dag p95 < 25 ms on sqlite at 8 users | 30.0 ms | **missed** |" in on_sqlite


def test_a_targets_rounds_merge_into_one_result():
    """make bench drives every target in rounds (bench/run.py); the report counts them as one."""
    first = load.Result("I dag", 2, 0.5, [0.010, 0.030], {200: 2}, [5, 5], [900, 910])
    second = load.Result("I dag", 3, 1.0, [0.020, 0.040, 0.050], {200: 2, 500: 1}, [5, 5, 6], [920] * 3)
    merged = load.merge("I dag", [first, second])
    assert (merged.requests, merged.seconds, merged.throughput) == (5, 1.5, 5 / 1.5)
    assert merged.median_ms == 30.0 and merged.p95_ms == 50.0
    assert merged.statuses == {200: 4, 500: 1} and merged.max_queries == 6 and not merged.ok
