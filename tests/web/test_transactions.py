"""One transaction per request: GET requests write nothing but the documented exceptions, and a
request that fails half-way keeps nothing of what it did."""

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, select

from tests.conftest import count_queries
from tests.web.test_access import MATRIX
from worker_app.extensions import db
from worker_app.models import CheckIn, Event, HelpRequest, MasteryClaim, Scope, Shift, ShiftRule, User
from worker_app.services import api_tokens, schedule, tasks
from worker_app.web import GET_WRITES

WRITE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", re.I)


def _world(app, people):
    """What the route matrix needs: a help request, a shift, an event, a pushed checklist."""
    with app.app_context():
        request = HelpRequest(worker_id=people.worker.id, reason="sad")
        shift = Shift(worker_id=people.worker.id, starts_at=datetime(2030, 1, 4, 8, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 4, 11, tzinfo=UTC))
        event = Event(title="Tur", place="Skogen", starts_at=datetime(2030, 1, 5, 10, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 5, 13, tzinfo=UTC))
        checkin = CheckIn(worker_id=people.worker.id, tasks=2)
        rule = ShiftRule(worker_id=people.worker.id, weekdays="4", start_time="09:00", end_time="12:00",
                         starts_on=date(2030, 1, 1), ends_on=date(2030, 6, 30))
        db.session.add_all([request, shift, event, checkin, rule])
        owner = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen")
        for text in ("Fyll vann.", "Trykk start."):
            tasks.add_step(db.session, checklist, text=text, pictogram="2615")
        (assignment,) = tasks.push(db.session, checklist, workers=[db.session.get(User, people.worker.id)],
                                   by=owner, on_date=schedule.oslo(datetime.now(UTC)).date())
        _token, secret = api_tokens.create(db.session, owner, "Test", [s.value for s in Scope])
        db.session.commit()
        return {"worker": people.worker.id, "supporter": people.supporter.id, "link": people.link_id,
                "specialist": people.specialist.id,
                "request": request.id, "shift": shift.id, "event": event.id,
                "checklist": checklist.id, "assignment": assignment.id, "checkin": checkin.id,
                "rule": rule.id}, secret


@pytest.mark.parametrize("role", ["anonymous", "worker", "support", "specialist", "organizer", "admin"])
def test_get_requests_write_only_the_documented_exceptions(app, people, sign_in, role):
    ids, secret = _world(app, people)
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, getattr(people, {"support": "supporter"}.get(role, role)))
    written = {}
    with count_queries(app) as statements:
        for endpoint, (method, path, _rules) in sorted(MATRIX.items()):
            if method != "GET":
                continue
            start = len(statements)
            headers = {"Authorization": f"Bearer {secret}"} if role == "specialist" else {}
            client.get(path.format(**ids), headers=headers)
            for statement in statements[start:]:
                if match := WRITE.match(statement):
                    written.setdefault(match.group(1), set()).add(endpoint)
    # The pages a worker opens most: nothing but the exceptions, and this proves the walk saw them.
    if role == "worker":
        assert "lesson_progress" in written and "learn.screen" in written["lesson_progress"]
    if role == "specialist":
        assert "api.show_worker" in written["audit_entry"]
    assert {table: sorted(endpoints) for table, endpoints in written.items() if table not in GET_WRITES} == {}


def test_a_checklist_step_page_starts_no_run_and_the_first_tick_does(app, people, sign_in, client):
    ids, _secret = _world(app, people)
    sign_in(client, people.worker)
    listing = client.get("/tasks").get_data(as_text=True)
    assert client.get(f"/tasks/{ids['assignment']}/step/1").status_code == 200
    assert client.get(f"/tasks/{ids['assignment']}").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(tasks.Run)).all() == []
    # Still "Ny" until the worker starts: reading a step is not starting.
    assert "<span>Ny</span>" in listing and "<span>Ny</span>" in client.get("/tasks").get_data(as_text=True)
    client.post(f"/tasks/{ids['assignment']}/step/1/done")
    with app.app_context():
        (run,) = db.session.scalars(select(tasks.Run)).all()
        assert tasks.done_steps(db.session, run) and run.finished_at is None
    assert "<span>Ny</span>" not in client.get("/tasks").get_data(as_text=True)


def _fail_on_audit(monkeypatch, module, action):
    """The audit entry of `action` fails: the last thing the service does, after its changes."""
    real = module.record

    def record(session, by, what, *args, **kwargs):
        if what == action:
            raise RuntimeError("the database went away")
        return real(session, by, what, *args, **kwargs)

    monkeypatch.setattr(module, "record", record)


def test_a_role_change_that_fails_half_way_signs_nobody_out(app, people, sign_in, monkeypatch):
    """save_user signs the person out everywhere, then writes the audit entry, which fails."""
    from worker_app.services import people as people_service

    supporter, admin = app.test_client(), app.test_client()
    sign_in(supporter, people.supporter)
    sign_in(admin, people.admin)
    assert supporter.get("/support").status_code == 200
    _fail_on_audit(monkeypatch, people_service, "user.update")
    answer = admin.post(f"/admin/users/{people.supporter.id}",
                        data={"name": "Anne Johansen", "role": "worker", "region": "0"})
    assert answer.status_code == 500
    with app.app_context():
        assert db.session.get(User, people.supporter.id).role == "support"
    assert supporter.get("/support").status_code == 200  # still signed in, on the same device


def test_confirming_a_claim_that_fails_half_way_leaves_the_claim_open(app, people, sign_in, monkeypatch):
    """decide marks the claim decided, then sets the step mastered, whose audit entry fails."""
    ids, _secret = _world(app, people)
    worker, specialist = app.test_client(), app.test_client()
    sign_in(worker, people.worker)
    sign_in(specialist, people.specialist)
    assert worker.post(f"/tasks/{ids['assignment']}/step/1/claim").status_code == 302
    with app.app_context():
        claim_id = db.session.scalar(select(MasteryClaim.id))
    _fail_on_audit(monkeypatch, tasks.fading, "step.support")  # where set_level lives
    assert specialist.post(f"/staff/claims/{claim_id}/yes").status_code == 500
    with app.app_context():
        assert db.session.get(MasteryClaim, claim_id).decided_at is None
    monkeypatch.undo()
    assert specialist.post(f"/staff/claims/{claim_id}/yes").status_code == 302
    with app.app_context():
        assert db.session.get(MasteryClaim, claim_id).confirmed is True


@contextmanager
def _statements_and_transactions(app):
    """The first word of each statement the app runs, and whether the database connection is
    inside a transaction right after it, as the driver tells (pysqlite's in_transaction,
    psycopg's transaction status)."""
    seen: list[tuple[str, bool]] = []

    def after(connection, _cursor, statement, _parameters, _context, _many):
        driver = connection.connection.dbapi_connection
        status = getattr(getattr(driver, "info", None), "transaction_status", None)
        inside = driver.in_transaction if status is None else status.name != "IDLE"
        seen.append((statement.split(None, 1)[0].upper(), inside))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "after_cursor_execute", after)


@pytest.mark.fresh_database  # the app's own connections, not the tests' shared savepoint
def test_a_page_reads_outside_a_transaction(app, people, sign_in, client):
    """A page that only reads opens no transaction (so PostgreSQL is spared BEGIN and COMMIT)."""
    sign_in(client, people.worker)
    with _statements_and_transactions(app) as seen:
        assert client.get("/").status_code == 200
    assert seen and {word for word, _inside in seen} == {"SELECT"}
    assert [inside for _word, inside in seen] == [False] * len(seen)


@pytest.mark.fresh_database
def test_a_page_that_writes_does_it_in_a_transaction_kept_only_on_success(app, people, sign_in, client,
                                                                         monkeypatch):
    """A lesson's first screen marks it begun: from that write on, the request is in one
    transaction, committed with a good answer, and rolled back with an error."""
    from worker_app.learn import views as learn_views
    from worker_app.models import LessonProgress

    sign_in(client, people.worker)
    slug = sorted(app.extensions["lessons"])[0]

    def progress():
        with app.app_context():
            return db.session.scalars(select(LessonProgress.state)).all()

    app.config["PROPAGATE_EXCEPTIONS"] = False  # the error page, as a worker would get it
    real_render = learn_views.render
    monkeypatch.setattr(learn_views, "render", lambda *a, **k: 1 / 0)
    with _statements_and_transactions(app) as seen:
        assert client.get(f"/learn/{slug}/1").status_code == 500
    assert any(word == "INSERT" for word, _inside in seen)
    assert progress() == []  # the error answer kept nothing of the write

    monkeypatch.setattr(learn_views, "render", real_render)
    with _statements_and_transactions(app) as seen:
        assert client.get(f"/learn/{slug}/1").status_code == 200
    first_write = next(i for i, (word, _inside) in enumerate(seen) if word == "INSERT")
    assert all(inside for _word, inside in seen[first_write:])
    assert progress() == ["started"]
