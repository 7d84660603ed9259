"""A national-scale data set, inserted fast: SQLAlchemy Core executemany in batches, ids chosen
here (so rows can point at each other without a round trip), sequences set after.

The same code makes the tiny set of the smoke test (`Scale.tiny()`). Everything is invented and
deterministic (one random seed). Sign-in secrets for the benchmark's users are returned, never
stored in plain text: workers get a remembered device (as a phone that has signed in once),
specialists a password.
"""

from __future__ import annotations

import json
import random
import secrets
import time as clock
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from worker_app.models import (
    Assignment,
    Checklist,
    ChecklistStep,
    ChecklistVersion,
    Device,
    Event,
    Follows,
    HelpRequest,
    LessonProgress,
    Notice,
    Region,
    Run,
    Shift,
    Signup,
    StepDone,
    StepSupport,
    SupportLink,
    User,
    Workplace,
)
from worker_app.services.auth import hash_token

OSLO = ZoneInfo("Europe/Oslo")
BATCH = 5000
PASSWORD = "bench-passord-123"
REGIONS = ["Agder", "Akershus", "Buskerud", "Finnmark", "Innlandet", "Møre og Romsdal", "Nordland",
           "Oslo", "Rogaland", "Telemark", "Troms", "Trøndelag", "Vestfold", "Vestland", "Østfold"]
PICTOGRAMS = ["1F9FC", "1F37D", "1F374", "1F95B", "1F5E3", "1F9FA", "1F440", "1F9FD", "1F6AA", "1F4A7",
              "1F6B0", "1F504", "2615", "1F518", "1F4CB", "1F3E8", "1F6D2", "1F9F8"]
STEP_TEXTS = ["Vask hendene.", "Hent kurvene ved kassene.", "Tørk av bordet med en klut.",
              "Sett varene på hylla.", "Fyll vann opp til streken.", "Trykk på start-knappen.",
              "Si fra til lederen at du er ferdig.", "Legg en tallerken på hver plass."]
FIRST = ["Ola", "Emma", "Jonas", "Sara", "Nora", "Jakob", "Ingrid", "Filip", "Maja", "Ali", "Aisha",
         "Lars", "Sofie", "Henrik", "Leah", "Mohammed", "Ida", "Even", "Tuva", "Sander"]
LAST = ["Johansen", "Larsen", "Berg", "Ahmed", "Hansen", "Olsen", "Nilsen", "Haugen", "Lie", "Dahl",
        "Moen", "Bakke", "Vik", "Strand", "Solberg", "Khan", "Nguyen", "Eide"]


@dataclass(frozen=True)
class Scale:
    workers: int = 5000
    specialists: int = 300
    supporters: int = 2000
    organizers: int = 20
    workplaces: int = 1500
    years: int = 3  # of shifts: from 2.5 years ago to half a year ahead
    shifts_per_week: float = 1.3  # per worker: about a million shifts for 5,000 workers
    checklists: int = 20000
    runs: int = 150000
    lessons_per_worker: int = 100
    events: int = 2000
    signups: int = 60000
    help_requests: int = 20000
    notices_per_worker: int = 5
    bench_workers: int = 8  # signed in by the load driver, one per concurrent client
    bench_specialists: int = 8

    @classmethod
    def tiny(cls) -> Scale:
        return cls(workers=30, specialists=3, supporters=10, organizers=1, workplaces=5, years=1,
                   checklists=60, runs=200, lessons_per_worker=20, events=12, signups=60,
                   help_requests=20, notices_per_worker=2, bench_workers=2, bench_specialists=1)


@dataclass
class Seeded:
    """What the load driver needs: cookies for the workers, e-mails for the specialists."""
    device_cookies: list[str] = field(default_factory=list)  # "id.secret", one per bench worker
    worker_ids: list[int] = field(default_factory=list)
    step_paths: list[str] = field(default_factory=list)  # a checklist step of today, per worker
    specialist_emails: list[str] = field(default_factory=list)
    password: str = PASSWORD
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _batches(rows: Iterable[dict], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO).astimezone(UTC)


def seed(engine: Engine, scale: Scale = Scale(), *, today: date | None = None, seed_value: int = 8,
         log: Callable[[str], None] = lambda _m: None, lesson_slugs: list[str] | None = None) -> Seeded:
    """Insert the whole data set into an empty, migrated database."""
    started = clock.monotonic()
    rng = random.Random(seed_value)
    now = datetime.now(UTC)
    today = today or now.astimezone(OSLO).date()
    out = Seeded()
    counts = out.counts

    with engine.begin() as conn:
        postgres = engine.dialect.name == "postgresql"

        def insert(model, rows: Iterable[dict]) -> int:
            n = 0
            table = model.__table__
            for batch in _batches(rows, BATCH):
                if postgres:
                    _copy(conn, table, batch)  # INSERTs take minutes for a million rows; COPY seconds
                else:
                    conn.execute(table.insert(), batch)  # SQLite: executemany is fast
                n += len(batch)
            counts[model.__tablename__] = counts.get(model.__tablename__, 0) + n
            return n

        # Places and people ------------------------------------------------------------------
        insert(Region, ({"id": i + 1, "name": name} for i, name in enumerate(REGIONS)))
        n_regions = len(REGIONS)
        insert(Workplace, ({"id": i + 1, "name": f"Arbeidsplass {i + 1}", "region_id": i % n_regions + 1,
                            "pictogram": rng.choice(["1F3E8", "1F6D2", "1F9F8", "1F3E2"]),
                            "contact_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                            "contact_phone": f"+47 55 {i % 100:02d} {i % 97:02d} 00"}
                           for i in range(scale.workplaces)))

        next_id = iter(range(1, 10**9))
        password_hash = PasswordHasher().hash(PASSWORD)  # one hash, the production cost
        admin_id = next(next_id)
        specialist_ids = [next(next_id) for _ in range(scale.specialists)]
        organizer_ids = [next(next_id) for _ in range(scale.organizers)]
        worker_ids = [next(next_id) for _ in range(scale.workers)]
        supporter_ids = [next(next_id) for _ in range(scale.supporters)]
        worker_region = {w: i % n_regions + 1 for i, w in enumerate(worker_ids)}

        def user(uid: int, role: str, **extra) -> dict:
            row = {"id": uid, "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {uid}", "role": role,
                   "active": True, "session_version": 1, "created_at": now - timedelta(days=900),
                   "locale": "nb", "text_size": "normal", "read_aloud": True, "checklist_mode": "step",
                   "calendar_version": 1, "region_id": None, "workplace_id": None, "email": None,
                   "password_hash": None, "ready_minutes": None, "travel_minutes": None}
            row.update(extra)
            return row

        def people() -> Iterator[dict]:
            yield user(admin_id, "admin", email="admin@bench.test", password_hash=password_hash)
            for i, uid in enumerate(specialist_ids):
                yield user(uid, "specialist", email=f"spesialist{i}@bench.test", region_id=i % n_regions + 1,
                           password_hash=password_hash)
            for i, uid in enumerate(organizer_ids):
                yield user(uid, "organizer", email=f"arrangor{i}@bench.test", region_id=i % n_regions + 1,
                           password_hash=password_hash)
            for uid in worker_ids:
                yield user(uid, "worker", region_id=worker_region[uid], workplace_id=workplace_of[uid],
                           ready_minutes=rng.choice([None, 20, 30, 45]), travel_minutes=rng.choice([None, 10, 25]))
            for uid in supporter_ids:
                yield user(uid, "support")

        workplace_of = {uid: (i * 7) % scale.workplaces + 1 for i, uid in enumerate(worker_ids)}
        insert(User, people())
        # Each worker is followed by one specialist (about 17 each).
        specialist_of = {w: specialist_ids[i % scale.specialists] for i, w in enumerate(worker_ids)}
        insert(Follows, ({"specialist_id": s, "worker_id": w} for w, s in specialist_of.items()))
        supported = rng.sample(worker_ids, min(len(worker_ids), scale.supporters))
        insert(SupportLink, ({"id": i + 1, "worker_id": supported[i % len(supported)], "supporter_id": s,
                              "relation": rng.choice(["mor", "far", "miljø-arbeider", "fadder"]),
                              "see_shifts": True, "see_tasks": rng.random() < 0.6,
                              "tick_tasks": rng.random() < 0.2,
                              "sign_up_events": rng.random() < 0.3, "proposed_by_id": None,
                              "created_at": now - timedelta(days=400),
                              "confirmed_at": now - timedelta(days=399) if rng.random() < 0.9 else None}
                             for i, s in enumerate(supporter_ids)))
        log(f"people: {len(worker_ids)} workers, {len(specialist_ids)} specialists, {len(supporter_ids)} support")

        # Shifts: each worker has one or two weekdays, for the whole period ---------------
        first_day = today - timedelta(days=int(365 * (scale.years - 0.5)))
        last_day = today + timedelta(days=182)
        pattern: dict[int, list[int]] = {}
        for w in worker_ids:
            days = 2 if rng.random() < scale.shifts_per_week - 1 else 1
            pattern[w] = sorted(rng.sample(range(7), days))
        # The benchmark's workers work today, as a worker opening I dag in the morning does.
        bench = worker_ids[::max(1, len(worker_ids) // scale.bench_workers)][:scale.bench_workers]
        for w in bench:
            if today.weekday() not in pattern[w]:
                pattern[w] = sorted({*pattern[w][:1], today.weekday()})
        start_hour = {w: rng.choice([7, 8, 9, 10, 12]) for w in worker_ids}

        next_shift_of: dict[int, int] = {}  # each worker's first shift from today (her unread notice's)

        def shifts() -> Iterator[dict]:
            sid = 0
            day = first_day
            by_weekday: dict[int, list[int]] = {d: [w for w in worker_ids if d in pattern[w]] for d in range(7)}
            while day <= last_day:
                for w in by_weekday[day.weekday()]:
                    sid += 1
                    if day >= today:
                        next_shift_of.setdefault(w, sid)
                    hour = start_hour[w]
                    starts = _at(day, hour)
                    roll = rng.random()
                    yield {"id": sid, "worker_id": w, "workplace_id": workplace_of[w], "rule_id": None,
                           "starts_at": starts, "ends_at": starts + timedelta(hours=rng.choice([3, 4, 6])),
                           "note": "Ta med nøkkel-kort." if roll < 0.1 else "",
                           "created_at": _at(day, 6) - timedelta(days=30),
                           "changed_at": _at(day, 6) - timedelta(days=3) if 0.1 <= roll < 0.13 else None,
                           "cancelled_at": _at(day, 6) - timedelta(days=2) if roll > 0.98 else None}
                day += timedelta(days=1)

        n = insert(Shift, shifts())
        log(f"shifts: {n}")

        # Checklists: four per worker, one version each, 4-8 steps ---------------------------
        steps_of: dict[int, list[tuple[int, str]]] = {}
        checklist_rows, version_rows, step_rows = [], [], []
        step_id = 0
        for c in range(1, scale.checklists + 1):
            w = worker_ids[(c - 1) % len(worker_ids)]
            checklist_rows.append({"id": c, "title": f"Oppgave {c}", "pictogram": rng.choice(PICTOGRAMS),
                                   "workplace_id": None, "owner_id": specialist_of[w],
                                   "created_at": now - timedelta(days=800), "archived_at": None})
            version_rows.append({"id": c, "checklist_id": c, "number": 1, "created_at": now - timedelta(days=800),
                                 "published_at": now - timedelta(days=799)})
            steps_of[c] = []
            for position in range(1, rng.randint(4, 8) + 1):
                step_id += 1
                key = uuid.UUID(int=rng.getrandbits(128)).hex
                steps_of[c].append((step_id, key))
                step_rows.append({"id": step_id, "key": key, "version_id": c, "position": position,
                                  "text": rng.choice(STEP_TEXTS), "pictogram": rng.choice(PICTOGRAMS),
                                  "hint": "Spør hvis du er usikker." if position == 1 else "", "photo": None})
        insert(Checklist, checklist_rows)
        insert(ChecklistVersion, version_rows)
        insert(ChecklistStep, step_rows)
        del checklist_rows, version_rows, step_rows

        # Assignments: the checklist's worker; on their weekdays, every shift, once, or others.
        assignment_rows = []
        for c in range(1, scale.checklists + 1):
            w = worker_ids[(c - 1) % len(worker_ids)]
            kind = ((c - 1) // len(worker_ids)) % 4
            row = {"id": c, "version_id": c, "worker_id": w, "pushed_by_id": specialist_of[w],
                   "created_at": now - timedelta(days=700), "on_date": None, "weekdays": "",
                   "every_shift": False, "opened_at": now - timedelta(days=690), "ended_at": None}
            if kind == 0:
                row["weekdays"] = "".join(str(d) for d in pattern[w])
            elif kind == 1:
                row["every_shift"] = True
            elif kind == 2:
                row["on_date"] = today - timedelta(days=rng.randint(1, 600))
            else:
                row["weekdays"] = "".join(str(d) for d in sorted(rng.sample(range(7), 2)))
                row["ended_at"] = now - timedelta(days=rng.randint(1, 300)) if rng.random() < 0.5 else None
            assignment_rows.append(row)
        insert(Assignment, assignment_rows)

        # Runs on past days, most finished with every step ticked --------------------------
        run_rows, done_rows = [], []
        per = scale.runs / max(1, scale.checklists)
        run_id = done_id = 0
        for a in assignment_rows:
            k = rng.randint(0, int(2 * per))
            days = sorted({today - timedelta(days=rng.randint(1, 900)) for _ in range(k)})
            for day in days:
                if run_id >= scale.runs:
                    break
                run_id += 1
                finished = rng.random() < 0.9
                started_at = _at(day, 9)
                run_rows.append({"id": run_id, "assignment_id": a["id"], "day": day, "started_at": started_at,
                                 "finished_at": started_at + timedelta(minutes=20) if finished else None})
                steps = steps_of[a["version_id"]]
                for sid, _key in steps if finished else steps[:len(steps) // 2]:
                    done_id += 1
                    done_rows.append({"id": done_id, "run_id": run_id, "step_id": sid, "done_by_id": a["worker_id"],
                                      "done_at": started_at + timedelta(minutes=2)})
        insert(Run, run_rows)
        insert(StepDone, done_rows)
        log(f"checklists: {scale.checklists}, runs: {len(run_rows)}, steps ticked: {len(done_rows)}")
        del run_rows, done_rows

        # Fading support: a few steps short or mastered (never the first: the benchmark opens it).
        def supports() -> Iterator[dict]:
            sid = 0
            for a in assignment_rows[: len(worker_ids) * 2]:
                for _step, key in steps_of[a["version_id"]][2:4]:
                    sid += 1
                    yield {"id": sid, "worker_id": a["worker_id"], "step_key": key,
                           "level": rng.choice(["short", "mastered"]), "set_by_id": a["pushed_by_id"],
                           "updated_at": now - timedelta(days=30)}

        insert(StepSupport, supports())

        # Lessons: 100 progress rows per worker. There are 16 lessons, and (worker, lesson) is
        # unique, so the rest are lessons since taken out of the content (the app ignores them).
        slugs = list(lesson_slugs or [])
        slugs += [f"tidligere-leksjon-{i:03d}" for i in range(scale.lessons_per_worker - len(slugs))]

        def progress() -> Iterator[dict]:
            pid = 0
            for w in worker_ids:
                for slug in slugs[: scale.lessons_per_worker]:
                    pid += 1
                    state = rng.choice(["new", "started", "done", "done"])
                    yield {"id": pid, "worker_id": w, "lesson": slug, "state": state, "answers": {"1": [0]},
                           "started_at": now - timedelta(days=200), "done_at": now - timedelta(days=100)
                           if state == "done" else None,
                           "recommended_at": now - timedelta(days=5) if rng.random() < 0.1 else None,
                           "recommended_by_id": specialist_of[w], "together_at": None, "together_by_id": None,
                           "updated_at": now - timedelta(days=100)}

        n = insert(LessonProgress, progress())
        log(f"lesson progress: {n}")

        # Events over the whole period, about 30 sign-ups each ------------------------------
        workers_in_region: dict[int, list[int]] = {}
        for w, r in worker_region.items():
            workers_in_region.setdefault(r, []).append(w)
        event_rows, signup_rows = [], []
        span = (last_day - first_day).days
        per_event = scale.signups // max(1, scale.events)
        signup_id = 0
        for e in range(1, scale.events + 1):
            day = first_day + timedelta(days=rng.randint(0, span))
            starts = _at(day, rng.choice([11, 16, 18]))
            region = rng.randint(1, n_regions) if rng.random() < 0.9 else None
            capacity = rng.choice([None, 15, 25, 40])
            event_rows.append({"id": e, "title": f"Aktivitet {e}", "description": "Vi møtes og har det fint.",
                               "pictogram": rng.choice(["1F332", "1F356", "1F3B2", "1F384", "2615"]),
                               "photo": None, "starts_at": starts, "ends_at": starts + timedelta(hours=3),
                               "place": "Frivillig-sentralen", "meeting_point": "", "capacity": capacity,
                               "signup_deadline": None, "region_id": region, "invite_only": rng.random() < 0.05,
                               "invite_version": 1, "version": 1, "created_by_id": rng.choice(organizer_ids),
                               "created_at": starts - timedelta(days=30),
                               "cancelled_at": starts - timedelta(days=3) if rng.random() < 0.02 else None})
            pool = workers_in_region[region] if region else worker_ids
            going = 0
            for w in rng.sample(pool, min(len(pool), per_event)):
                signup_id += 1
                if rng.random() < 0.1:
                    state = "cancelled"
                elif capacity is None or going < capacity:
                    state, going = "going", going + 1
                else:
                    state = "waiting"
                queued = starts - timedelta(days=20, minutes=signup_id % 1000)
                signup_rows.append({"id": signup_id, "event_id": e, "worker_id": w, "guest_name": None,
                                    "guest_phone": None, "guest_secret_hash": None, "consent_at": None,
                                    "state": state, "signed_up_by_id": w, "created_at": queued,
                                    "queued_at": queued, "updated_at": queued})
        insert(Event, event_rows)
        insert(Signup, signup_rows)
        log(f"events: {len(event_rows)}, sign-ups: {len(signup_rows)}")

        # Help requests (most handled) and notices (most read) -------------------------------
        insert(HelpRequest, ({"id": i + 1, "worker_id": (w := rng.choice(worker_ids)),
                              "reason": rng.choice(["sad", "unsafe", "task", "late", "sick"]), "step_id": None,
                              "created_at": now - timedelta(days=rng.randint(0, 800)),
                              "handled_by_id": specialist_of[w] if rng.random() < 0.95 else None,
                              "handled_at": now if rng.random() < 0.95 else None}
                             for i in range(scale.help_requests)))
        insert(Notice, ({"id": i * scale.notices_per_worker + j + 1, "user_id": w, "worker_id": w,
                         "kind": "shift_moved", "shift_id": next_shift_of.get(w), "event_id": None,
                         "created_at": now - timedelta(days=j * 20), "read_at": None if j == 0 else now}
                        for i, w in enumerate(worker_ids) for j in range(scale.notices_per_worker)))

        # The benchmark's users: a remembered phone per worker, specialists with a password.
        devices = []
        for i, w in enumerate(bench):
            secret = secrets.token_urlsafe(32)
            devices.append({"id": i + 1, "user_id": w, "secret_hash": hash_token(secret), "label": "bench",
                            "created_at": now, "last_seen_at": now, "expires_at": now + timedelta(days=30),
                            "revoked_at": None})
            out.device_cookies.append(f"{i + 1}.{secret}")
            out.worker_ids.append(w)
            weekday_assignment = worker_ids.index(w) + 1  # kind 0: on the worker's weekdays
            out.step_paths.append(f"/tasks/{weekday_assignment}/step/1")
        insert(Device, devices)
        # The specialists of the benchmark's workers, so "Mine arbeidstakere" is theirs.
        chosen = list(dict.fromkeys(specialist_of[w] for w in bench))[: scale.bench_specialists]
        out.specialist_emails = [f"spesialist{specialist_ids.index(s)}@bench.test" for s in chosen]

    _fix_sequences(engine)
    out.seconds = clock.monotonic() - started
    return out


def _copy(conn, table, batch: list[dict]) -> None:
    """PostgreSQL COPY of rows given as for an INSERT: Python-side column defaults filled in, and
    each value through its column type's bind processing (UTC times, JSON), as an INSERT would."""
    dialect = conn.dialect
    columns = [c for c in table.columns if c.key in batch[0] or c.default is not None or c.nullable]
    processors = [c.type.bind_processor(dialect) for c in columns]

    def value(row: dict, column, process):
        if column.key in row:
            raw = row[column.key]
        elif column.default is not None:
            raw = column.default.arg(None) if column.default.is_callable else column.default.arg
        else:
            raw = None
        raw = process(raw) if process and raw is not None else raw
        return json.dumps(raw) if isinstance(raw, dict | list) else raw  # JSON columns

    names = ", ".join(f'"{c.name}"' for c in columns)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in batch:
            copy.write_row([value(row, c, p) for c, p in zip(columns, processors, strict=True)])


def _fix_sequences(engine: Engine) -> None:
    """PostgreSQL: ids were given, so move each id sequence past the largest one."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for table in ("region", "workplace", "user", "support_link", "shift", "checklist", "checklist_version",
                      "checklist_step", "assignment", "run", "step_done", "step_support", "lesson_progress",
                      "event", "signup", "help_request", "notice", "device"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"))


def analyze(engine: Engine) -> None:
    """Fresh statistics for the planner, as autovacuum (PostgreSQL) or a periodic ANALYZE would.
    PostgreSQL is also vacuumed: a database in use has been, and otherwise autovacuum starts on
    the million fresh rows in the middle of the measurements, on the same cores."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
        return
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
