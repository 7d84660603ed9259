"""The soak (part of `make bench`, not `make test`): N minutes of mixed traffic on PostgreSQL
with two app servers (gunicorn, 2 workers each, one shared Redis for rate limits), at a steady
rate, with the reminders sender run every minute beside them as cron would run it (its pushes go
to a push service of the soak's own on 127.0.0.1). Records p50/p95 per time window, errors,
each app process's memory at the start and the end, PostgreSQL connections in use, and each
sender run; writes them to BENCHMARKS.md.

    .venv/bin/python -m bench.soak [--minutes 10] [--rate 20] [--clients 8] [--tiny] [--no-write]

PostgreSQL: DATABASE_URL when it is PostgreSQL (an empty database, or one named *bench*: it is
emptied); otherwise a throwaway server of its own (scripts/start-postgres.sh on a free port).
Redis: REDIS_URL, or a throwaway one (scripts/start-redis.sh).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, make_url, text

from bench import load, run, seed

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPORT = ROOT / "BENCHMARKS.md"
MEMORY_GROWTH_MB = 30  # the most any app process may grow between start and end of the soak
ERRORS_ALLOWED = 0


# Servers ---------------------------------------------------------------------------------------


@dataclass
class Throwaway:
    """A PostgreSQL or Redis the soak started itself, and how to stop it."""
    url: str
    stop: list[str]
    folder: Path | None = None  # removed after stopping


def own_postgres() -> Throwaway:
    """A PostgreSQL of the soak's own on a free port: its empty database worker_app_test."""
    port, data = run.free_port(), Path(tempfile.mkdtemp(prefix="worker-app-soak-pg-", dir="/tmp"))
    env = {**os.environ, "PGPORT_TEST": str(port), "PGDATA_TEST": str(data)}
    url = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], env=env, check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    return Throwaway(url, [*as_postgres, str(pg_ctl), "-D", str(data), "-m", "fast", "stop"], data)


def own_redis(scratch: Path) -> Throwaway:
    port, folder = run.free_port(), scratch / "redis"
    env = {**os.environ, "REDIS_PORT_TEST": str(port), "REDIS_DIR_TEST": str(folder)}
    url = subprocess.run(["bash", str(ROOT / "scripts" / "start-redis.sh")], env=env, check=True,
                         capture_output=True, text=True).stdout.split()[-1]
    return Throwaway(url, ["sh", "-c", f'kill "$(cat {folder}/redis.pid)"'])  # folder: in scratch


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen

    def pids(self) -> list[int]:
        """gunicorn's workers (the processes that serve; the master only watches them)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return sorted(int(p) for p in out.stdout.split())


def app_env(url: str, redis_url: str) -> dict[str, str]:
    """Production settings shared by both app servers and the sender: one key for all, as
    behind any load balancer."""
    return {**os.environ, "DATABASE_URL": url, "WORKER_APP_ENV": "production", "COOKIE_SECURE": "1",
            "SECRET_KEY": secrets.token_hex(32), "RATELIMIT_STORAGE_URI": redis_url, "PROXY_COUNT": "1",
            "BASE_URL": "https://bench.invalid", **vapid_env()}


def start_servers(env: dict, scratch: Path) -> list[Server]:
    servers = []
    for name in ("A", "B"):
        port = run.free_port()
        with (scratch / f"gunicorn-{name}.log").open("w") as log:
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
                 "worker_app:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        servers.append(Server(name, port, process))
    for server in servers:
        deadline = time.monotonic() + 90
        while True:
            if server.process.poll() is not None:
                raise SystemExit(f"gunicorn {server.name} stopped: see {scratch}/gunicorn-{server.name}.log")
            try:
                if load.Client("127.0.0.1", server.port).get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn {server.name} did not answer within 90 s")
            time.sleep(0.2)
    return servers


def stop_servers(servers: list[Server]) -> None:
    for server in servers:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGTERM)
    for server in servers:
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# The reminders sender -------------------------------------------------------------------------

SENDER_EVERY = 60.0  # seconds, as the README's cron line runs it
SUBSCRIBED_WORKERS = 1000  # workers with a phone that takes pushes (the bench's own among them)


class PushSink:
    """A push service of the soak's own on 127.0.0.1: it takes every push with a 201, as a
    browser's push service does, and counts them (nothing leaves the machine)."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        sink = self
        self.received = 0

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.received += 1
                self.send_response(201)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/push"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def vapid_env() -> dict[str, str]:
    """A VAPID key pair as the app's settings hold it (raw private key, uncompressed point)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"VAPID_PRIVATE_KEY": _b64url(key.private_numbers().private_value.to_bytes(32, "big")),
            "VAPID_PUBLIC_KEY": _b64url(public), "VAPID_SUBJECT": "mailto:soak@bench.invalid"}


def subscribe(engine, worker_ids: list[int], sink: PushSink) -> int:
    """A push subscription for the bench's workers and the first others, all to the sink. One
    browser key for all of them: the sender still encrypts each push on its own."""
    import hashlib

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    p256dh = _b64url(ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    with engine.begin() as conn:
        others = conn.execute(text("SELECT id FROM \"user\" WHERE role = 'worker' ORDER BY id LIMIT :n"),
                              {"n": SUBSCRIBED_WORKERS}).scalars()
        ids = list(dict.fromkeys(worker_ids + list(others)))
        rows = [{"u": uid, "e": f"{sink.url}/{uid}", "h": hashlib.sha256(f"{sink.url}/{uid}".encode()).hexdigest(),
                 "p": p256dh, "a": _b64url(os.urandom(16)), "now": datetime.now(UTC).replace(tzinfo=None)}
                for uid in ids]
        conn.execute(text("INSERT INTO push_subscription (user_id, endpoint, endpoint_hash, p256dh, auth, created_at, "
                          "failures) VALUES (:u, :e, :h, :p, :a, :now, 0)"), rows)
    return len(rows)


DUE_WORKERS = 300  # subscribed workers whose "Gjør deg klar" comes due during the soak


def due_shifts(engine, worker_ids: list[int], minutes: float) -> int:
    """Shifts whose "Gjør deg klar" (an hour before, for a worker with no travel time) falls in
    the soak, spread evenly over it, so each sender run has pushes to send, night or day."""
    start = datetime.now(UTC).replace(tzinfo=None, microsecond=0) + timedelta(hours=1, minutes=1)
    step = minutes * 60 / max(1, len(worker_ids))
    with engine.begin() as conn:
        conn.execute(text('UPDATE "user" SET travel_minutes = NULL, ready_minutes = NULL WHERE id = ANY(:ids)'),
                     {"ids": worker_ids})
        conn.execute(text("INSERT INTO shift (worker_id, starts_at, ends_at, note, created_at) "
                          "VALUES (:w, :s, :e, '', :now)"),
                     [{"w": w, "s": start + timedelta(seconds=i * step),
                       "e": start + timedelta(seconds=i * step, hours=4), "now": start}
                      for i, w in enumerate(worker_ids)])
    return len(worker_ids)


def subscribed_workers(engine, n: int, leave_out: list[int]) -> list[int]:
    """Subscribed workers, not the ones the load signs in (their I dag stays as seeded)."""
    with engine.connect() as conn:
        ids = conn.execute(text("SELECT user_id FROM push_subscription ORDER BY user_id")).scalars().all()
    return [i for i in ids if i not in set(leave_out)][:n]


@dataclass
class SenderRun:
    at: float  # seconds since the start of the soak
    seconds: float
    returncode: int
    said: str  # what it printed: its counts, or its error


def run_sender(env: dict, started: float, runs: list[SenderRun]) -> None:
    """One `flask reminders send`, as cron starts it: a process of its own."""
    began = time.monotonic()
    done = subprocess.run([str(BIN / "flask"), "--app", "worker_app", "reminders", "send"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    said = (done.stdout.strip() or done.stderr.strip().splitlines()[-1:] or [""])
    runs.append(SenderRun(began - started, time.monotonic() - began, done.returncode,
                          said if isinstance(said, str) else said[0]))


# The traffic -----------------------------------------------------------------------------------


class Person:
    """A client with its own address (X-Forwarded-For; the servers run with PROXY_COUNT=1), on
    one of the two servers."""

    def __init__(self, client: load.Client, address: str, kind: str):
        self.client, self.address, self.kind = client, address, kind
        self.csrf = ""
        self.ticked = False

    def call(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        sent = {"X-Forwarded-For": self.address, **(headers or {})}
        body = urlencode(form).encode() if form is not None else None
        return self.client.request(method, path, body=body, headers=sent)


@dataclass
class Sample:
    at: float  # seconds since the start of the soak
    what: str
    seconds: float
    status: int


@dataclass
class Soak:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # exceptions, with what was asked
    lock: threading.Lock = field(default_factory=threading.Lock)


def worker_actions(person: Person, step_path: str) -> list[tuple[str, int, callable]]:
    """(name, weight, action): what a worker's phone asks for in a day, and how often."""
    def tick():
        # Ferdig and Angre in turn: a real write every time, and the run never grows for ever.
        what = "undo" if person.ticked else "done"
        person.ticked = not person.ticked
        return person.call("POST", f"{step_path}/{what}", {"csrf_token": person.csrf})

    return [
        ("worker: I dag", 25, lambda: person.call("GET", "/")),
        ("worker: Vakter", 10, lambda: person.call("GET", "/shifts")),
        ("worker: Oppgaver", 8, lambda: person.call("GET", "/tasks")),
        ("worker: step", 10, lambda: person.call("GET", step_path)),
        ("worker: Ferdig/Angre (POST)", 10, tick),
        ("worker: Aktiviteter", 8, lambda: person.call("GET", "/events")),
        ("worker: Lære", 4, lambda: person.call("GET", "/learn")),
    ]


def staff_actions(person: Person) -> list[tuple[str, int, callable]]:
    return [("specialist: Mine arbeidstakere", 12, lambda: person.call("GET", "/staff"))]


def api_actions(person: Person, targets: list[load.Target]) -> list[tuple[str, int, callable]]:
    return [(f"{t.name}", 13 // len(targets) + 1,
             (lambda t=t: person.call("GET", t.paths[0], headers=t.headers))) for t in targets]


def drive(people_actions: list[list[tuple[str, int, callable]]], seconds: float, rate: float, soak: Soak,
          started: float) -> None:
    """Each client in its own thread, at rate/len(clients) requests a second (Poisson arrivals),
    choosing what to ask for by weight; stops at the end of `seconds`."""
    per_client = rate / len(people_actions)
    end = started + seconds

    def work(i: int, actions) -> None:
        rng = random.Random(i)
        names, weights = [a[0] for a in actions], [a[1] for a in actions]
        by_name = {a[0]: a[2] for a in actions}
        next_at = time.monotonic() + rng.expovariate(per_client)
        while True:
            now = time.monotonic()
            if next_at >= end:
                return
            if next_at > now:
                time.sleep(next_at - now)
            next_at += rng.expovariate(per_client)
            name = rng.choices(names, weights)[0]
            began = time.monotonic()
            try:
                status, _h, _d, _t = by_name[name]()
            except Exception as problem:  # noqa: BLE001 - every failure counts, and the soak goes on
                with soak.lock:
                    soak.failures.append(f"{name}: {type(problem).__name__}: {problem}")
                status = 0
            elapsed = time.monotonic() - began
            with soak.lock:
                soak.samples.append(Sample(began - started, name, elapsed, status))

    threads = [threading.Thread(target=work, args=(i, actions), daemon=True)
               for i, actions in enumerate(people_actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def connections(engine) -> tuple[int, int]:
    """PostgreSQL connections to this database now: all of them, and those running a query."""
    with engine.connect() as conn:
        total, active = conn.execute(text(
            "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).one()
    return total, active


# The run ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    minutes: float
    rate: float
    clients: int
    window: float
    seeded: seed.Seeded
    samples: list[Sample]
    failures: list[str]
    memory: dict[str, tuple[float, float]]  # "A pid 123": (start MB, end MB)
    pg_connections: list[tuple[float, int, int]]  # (at, total, active)
    sender_runs: list[SenderRun] = field(default_factory=list)
    pushes_received: int = 0
    subscriptions: int = 0


def soak(minutes: float, rate: float, clients: int, scale: seed.Scale, log=print) -> Outcome:
    scratch = Path(tempfile.mkdtemp(prefix="worker-app-soak-"))
    throwaways = []
    servers: list[Server] = []
    sink = PushSink()
    try:
        if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
            url = run.fresh_database(scratch)
        else:
            log("no PostgreSQL DATABASE_URL: starting a throwaway PostgreSQL")
            pg = own_postgres()
            throwaways.append(pg)
            url = _database_url_from(pg.url)
        if os.environ.get("REDIS_URL"):
            redis_url = os.environ["REDIS_URL"]
        else:
            redis = own_redis(scratch)
            throwaways.append(redis)
            redis_url = redis.url
        log(f"database: {make_url(url).render_as_string(hide_password=True)}; migrating")
        run.migrate(url)
        engine = create_engine(url)
        log("seeding")
        seeded = seed.seed(engine, scale, log=lambda m: log(f"  {m}"), lesson_slugs=run.lesson_slugs())
        seed.analyze(engine)
        subscriptions = subscribe(engine, seeded.worker_ids, sink)
        due = due_shifts(engine, subscribed_workers(engine, DUE_WORKERS, seeded.worker_ids), minutes)
        log(f"seeded in {seeded.seconds:.0f} s ({subscriptions} push subscriptions, {due} shifts due); "
            "starting two app servers")
        env = app_env(url, redis_url)
        servers = start_servers(env, scratch)
        people_actions = _people(servers, seeded, engine, clients)
        log("warming up")
        warm = Soak()
        drive(people_actions, 10, rate, warm, time.monotonic())
        memory_start = {f"{s.name} pid {pid}": rss_mb(pid) for s in servers for pid in s.pids()}
        log(f"soaking for {minutes:g} min at {rate:g} requests/s from {len(people_actions)} clients")
        result, samples = Soak(), []
        seconds, started = minutes * 60, time.monotonic()
        window = max(10.0, seconds / 10)
        stop = threading.Event()

        def watch() -> None:
            while not stop.wait(min(5.0, window / 2)):
                total, active = connections(engine)
                samples.append((time.monotonic() - started, total, active))

        sender_runs: list[SenderRun] = []

        def cron() -> None:  # the first run at once, then every SENDER_EVERY seconds
            while True:
                run_sender(env, started, sender_runs)
                if stop.wait(max(0.0, SENDER_EVERY - (time.monotonic() - started) % SENDER_EVERY)):
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        sender = threading.Thread(target=cron, daemon=True)
        sender.start()
        drive(people_actions, seconds, rate, result, started)
        stop.set()
        watcher.join()
        sender.join(150)
        memory = {name: (before, rss_mb(int(name.split()[-1]))) for name, before in memory_start.items()}
        engine.dispose()
        return Outcome(minutes, rate, len(people_actions), window, seeded, result.samples, result.failures,
                       memory, samples, sender_runs, sink.received, subscriptions)
    finally:
        stop_servers(servers)
        sink.close()
        for throwaway in throwaways:
            subprocess.run(throwaway.stop, capture_output=True)
            if throwaway.folder:
                shutil.rmtree(throwaway.folder, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


def _database_url_from(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _people(servers: list[Server], seeded: seed.Seeded, engine, clients: int) -> list[list]:
    """Workers (remembered phones), specialists (signed in with their password) and an API
    integration, half on each server."""
    people = []
    n_workers = min(clients, len(seeded.device_cookies))
    for i in range(n_workers):
        server = servers[i % 2]
        person = Person(load.Client("127.0.0.1", server.port, {"wa_device": seeded.device_cookies[i]}),
                        f"10.20.0.{i + 1}", "worker")
        status, headers, data, _t = person.call("GET", seeded.step_paths[i])
        if status != 200:
            raise SystemExit(f"worker {i} could not open a checklist step: {status}")
        person.csrf = load.csrf_token(load._plain(headers, data))
        people.append(worker_actions(person, seeded.step_paths[i]))
    for i, email in enumerate(seeded.specialist_emails[: max(1, clients // 4)]):
        server = servers[i % 2]
        client = load.Client("127.0.0.1", server.port)
        person = Person(client, f"10.21.0.{i + 1}", "specialist")
        status, headers, data, _t = person.call("GET", "/login")
        form = {"csrf_token": load.csrf_token(load._plain(headers, data)), "email": email,
                "password": seeded.password}
        if person.call("POST", "/login", form)[0] != 302:
            raise SystemExit("a specialist could not sign in")
        people.append(staff_actions(person))
    access = run.api_token(engine, seeded)
    for i in range(max(1, clients // 4)):
        person = Person(load.Client("127.0.0.1", servers[i % 2].port), f"10.22.0.{i + 1}", "api")
        people.append(api_actions(person, run.api_targets(access, seeded)))
    return people


# The report ------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def is_error(sample: Sample) -> bool:
    return not 200 <= sample.status < 400


def sender_failures(o: Outcome) -> list[SenderRun]:
    return [r for r in o.sender_runs if r.returncode != 0]


def markdown(o: Outcome) -> tuple[str, str]:
    """The detail of this run, and its one-line summary for the table of runs."""
    errors = [s for s in o.samples if is_error(s)] + sender_failures(o)
    seconds = [s.seconds for s in o.samples]
    growth = max((end - start for start, end in o.memory.values()), default=0.0)
    max_total = max((t for _a, t, _x in o.pg_connections), default=0)
    max_active = max((a for _a, _t, a in o.pg_connections), default=0)
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}: {o.minutes:g} min at {o.rate:g} requests/s (Poisson arrivals) from "
        f"{o.clients} clients, half on each of two gunicorn servers (2 workers each), one PostgreSQL, one Redis; "
        f"{len(o.samples):,} requests, data seeded in {o.seeded.seconds:.0f} s.",
        "",
        "| minutes | requests | p50 ms | p95 ms | errors | PostgreSQL connections (most; most active) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    windows = int(o.minutes * 60 // o.window) or 1
    for w in range(windows):
        lo, hi = w * o.window, (w + 1) * o.window
        part = [s for s in o.samples if lo <= s.at < hi]
        conns = [(t, a) for at, t, a in o.pg_connections if lo <= at < hi]
        lines.append(f"| {lo / 60:.1f}–{hi / 60:.1f} | {len(part):,} | "
                     f"{statistics.median([s.seconds for s in part]) * 1000 if part else 0:.1f} | "
                     f"{percentile([s.seconds for s in part], 95) * 1000:.1f} | {sum(is_error(s) for s in part)} | "
                     f"{max((t for t, _a in conns), default=0)}; {max((a for _t, a in conns), default=0)} |")
    lines += ["", "| request | count | p50 ms | p95 ms | errors |", "|---|---:|---:|---:|---:|"]
    for name in sorted({s.what for s in o.samples}):
        part = [s for s in o.samples if s.what == name]
        lines.append(f"| {name} | {len(part):,} | {statistics.median([s.seconds for s in part]) * 1000:.1f} | "
                     f"{percentile([s.seconds for s in part], 95) * 1000:.1f} | {sum(is_error(s) for s in part)} |")
    if o.sender_runs:
        took = [r.seconds for r in o.sender_runs]
        lines += ["", f"The reminders sender ran {len(o.sender_runs)} times (`flask reminders send`, every "
                  f"{SENDER_EVERY:g} s, a process of its own as cron starts it) for {o.subscriptions:,} subscribed "
                  f"phones: {len(sender_failures(o))} failed; each run took {statistics.median(took):.1f} s "
                  f"(median), {max(took):.1f} s at most; the soak's push service took {o.pushes_received:,} pushes.",
                  "", "| minute | seconds | said |", "|---:|---:|---|"]
        lines += [f"| {r.at / 60:.1f} | {r.seconds:.1f} | {r.said or '(nothing due)'} |" for r in o.sender_runs]
    lines += ["", "| app process | memory at start MB | at end MB | growth MB |", "|---|---:|---:|---:|"]
    for name, (start, end) in sorted(o.memory.items()):
        lines.append(f"| {name} | {start:.1f} | {end:.1f} | {end - start:+.1f} |")
    lines += ["", "| Goal | Measured | |", "|---|---|---|",
              f"| errors: {ERRORS_ALLOWED} | {len(errors)} | {run._met(len(errors) <= ERRORS_ALLOWED)} |",
              f"| no app process grows more than {MEMORY_GROWTH_MB} MB | most {growth:+.1f} MB "
              f"| {run._met(growth <= MEMORY_GROWTH_MB)} |"]
    if errors or o.failures:
        statuses = {}
        for s in errors:
            if isinstance(s, SenderRun):
                statuses[f"reminders sender -> exit {s.returncode}"] = statuses.get(
                    f"reminders sender -> exit {s.returncode}", 0) + 1
                continue
            statuses[f"{s.what} -> {s.status}"] = statuses.get(f"{s.what} -> {s.status}", 0) + 1
        lines += ["", "Errors: " + ", ".join(f"{k} ×{v}" for k, v in sorted(statuses.items()))]
        lines += [f"- {f}" for f in o.failures[:5]]
        lines += [f"- reminders sender at minute {r.at / 60:.1f}: {r.said}" for r in sender_failures(o)[:5]]
    summary = (f"| {datetime.now(UTC):%Y-%m-%d %H:%M} | {o.minutes:g} | {len(o.samples):,} | "
               f"{statistics.median(seconds) * 1000 if seconds else 0:.1f} | {percentile(seconds, 95) * 1000:.1f} | "
               f"{len(errors)} | {growth:+.1f} | {max_total}; {max_active} |")
    return "\n".join(lines), summary


RUNS_HEAD = ("| run (UTC) | minutes | requests | p50 ms | p95 ms | errors | most memory growth MB "
             "| PostgreSQL connections (most; most active) |\n|---|---:|---:|---:|---:|---:|---:|---:|")


def write_report(body: str, summary: str) -> None:
    """The latest run in full, and one line per run so far (the run-to-run spread)."""
    start, end = "<!-- soak -->", "<!-- /soak -->"
    current = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    runs = []
    if start in current:
        old = current.split(start, 1)[1].split(end, 1)[0]
        runs = re.findall(r"^\| \d{4}-\d\d-\d\d \d\d:\d\d \|.*$", old, flags=re.M)
    block = (f"{start}\n{body}\n\nEvery soak so far (newest last):\n\n{RUNS_HEAD}\n"
             + "\n".join([*runs, summary]) + f"\n{end}")
    if start in current and end in current:
        current = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _m: block, current, flags=re.S)
    else:
        current = current.rstrip("\n") + f"\n\n## Soak: two app servers on PostgreSQL\n\n{block}\n"
    REPORT.write_text(current)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 10)))
    parser.add_argument("--rate", type=float, default=20.0, help="requests a second, all clients together")
    parser.add_argument("--clients", type=int, default=8, help="workers; a quarter as many specialists and API clients")
    parser.add_argument("--tiny", action="store_true", help="the smoke test's small data set")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    outcome = soak(args.minutes, args.rate, args.clients, seed.Scale.tiny() if args.tiny else seed.Scale())
    body, summary = markdown(outcome)
    print(body)
    if not args.no_write and not args.tiny:
        write_report(body, summary)
        print(f"\nwritten to {REPORT.name}")
    errors = sum(is_error(s) for s in outcome.samples) + len(sender_failures(outcome))
    if errors > ERRORS_ALLOWED:
        raise SystemExit(f"{errors} errors during the soak")


if __name__ == "__main__":
    main()
