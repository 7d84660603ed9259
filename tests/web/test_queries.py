"""Pages load what they show in a fixed number of SQL queries, whatever the data size."""

import pytest
from sqlalchemy import select

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Follows, HelpRequest, Notice, Shift, User

LIMIT = 8


def add_workers(app, specialist, count):
    with app.app_context():
        for i in range(count):
            worker = User(name=f"Arbeidstaker {i}", role="worker", phone="90012345")
            db.session.add(worker)
            db.session.flush()
            db.session.add(Follows(specialist_id=specialist.id, worker_id=worker.id))
            for reason in ("sad", "late"):
                db.session.add(HelpRequest(worker_id=worker.id, reason=reason))
            add_escalation(specialist, worker)
        db.session.commit()


def add_escalation(specialist, worker):
    """ "Arbeidstaker har ikke trykket «Jeg har gått»" on the specialist's pages, with "Ring"."""
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC) - timedelta(days=2)  # an old one: not in the shift list
    shift = Shift(worker_id=worker.id, starts_at=start, ends_at=start + timedelta(hours=3))
    db.session.add(shift)
    db.session.flush()
    db.session.add(Notice(user_id=specialist.id, worker_id=worker.id, kind="not_left", shift_id=shift.id))


def queries_for(app, client, path):
    client.get(path)  # warm: the settings row is made on first use
    with count_queries(app) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/", "/help", "/help/ask", "/sharing", "/settings", "/shifts"])
def test_worker_pages_use_few_queries(app, client, people, sign_in, path):
    sign_in(client, people.worker)
    assert queries_for(app, client, path) <= LIMIT


def test_caseload_query_count_does_not_grow_with_workers(app, client, people, sign_in):
    sign_in(client, people.specialist)
    add_workers(app, people.specialist, 1)
    small = queries_for(app, client, "/staff"), queries_for(app, client, "/staff/caseload")
    add_workers(app, people.specialist, 40)
    big = queries_for(app, client, "/staff"), queries_for(app, client, "/staff/caseload")
    assert small == big and max(big) <= LIMIT
    # Each worker's escalation is on the page (and in the list that polls), with its call link.
    for path in ("/staff", "/staff/caseload"):
        page = client.get(path).text
        assert page.count("har ikke trykket «Jeg har gått».") == 41 and page.count('href="tel:+4790012345"') == 41


def test_admin_users_and_audit_do_not_grow_with_data(app, client, people, sign_in):
    sign_in(client, people.admin)
    small = (queries_for(app, client, "/admin/users"), queries_for(app, client, "/admin/audit"))
    add_workers(app, people.specialist, 40)
    for _ in range(3):
        client.get(f"/staff/workers/{people.worker.id}")
    big = (queries_for(app, client, "/admin/users"), queries_for(app, client, "/admin/audit"))
    assert small == big


def grow_the_workers_world(app, specialist, worker, supporter, n, start_day):
    """n more of everything the specialist's worker page shows: checklists pushed to the worker
    with runs and ticks on several days, support levels and an open mastery claim, shifts and a
    repeat rule, help requests (one on a step), lesson progress, support persons; and n more
    workers in the caseload."""
    from datetime import UTC, datetime, time, timedelta

    from worker_app.models import (
        LessonProgress,
        MasteryClaim,
        Run,
        Shift,
        ShiftRule,
        StepDone,
        StepSupport,
        SupportLink,
    )
    from worker_app.services import tasks

    add_workers(app, specialist, n)
    with app.app_context():
        owner, person = db.session.get(User, specialist.id), db.session.get(User, worker.id)
        today = datetime.now(UTC).date()
        lessons = sorted(app.extensions["lessons"])
        for i in range(n):
            checklist = tasks.create_checklist(db.session, owner, f"Oppgave {start_day + i}")
            for text in ("Ta på forkle.", "Vask hendene.", "Tørk bordet."):
                tasks.add_step(db.session, checklist, text=text, pictogram="2615")
            (assignment,) = tasks.push(db.session, checklist, workers=[person], by=owner, on_date=today)
            steps = assignment.version.steps
            for back in range(3):
                run = Run(assignment_id=assignment.id, day=today - timedelta(days=back))
                db.session.add(run)
                db.session.flush()
                db.session.add_all([StepDone(run_id=run.id, step_id=s.id, done_by_id=person.id) for s in steps[:2]])
            db.session.add(StepSupport(worker_id=person.id, step_key=steps[0].key, level="short"))
            db.session.add(MasteryClaim(worker_id=person.id, step_id=steps[1].id))
            db.session.add(HelpRequest(worker_id=person.id, reason="task", step_id=steps[2].id))
            day = today + timedelta(days=start_day + i)
            db.session.add(Shift(worker_id=person.id, starts_at=datetime.combine(day, time(8), UTC),
                                 ends_at=datetime.combine(day, time(11), UTC)))
            db.session.add(ShiftRule(worker_id=person.id, weekdays=str(i % 7), start_time="18:00",
                                     end_time="20:00", starts_on=day, ends_on=day + timedelta(days=60)))
            add_escalation(owner, person)
            helper = User(name=f"Støtte {start_day + i}", role="support")
            db.session.add(helper)
            db.session.flush()
            db.session.add(SupportLink(worker_id=person.id, supporter_id=helper.id, relation="bror",
                                       see_shifts=True))
            lesson = lessons[(start_day + i) % len(lessons)]
            if db.session.scalar(select(LessonProgress).filter_by(worker_id=person.id, lesson=lesson)) is None:
                db.session.add(LessonProgress(worker_id=person.id, lesson=lesson, state="started", answers={}))
        db.session.commit()


def test_the_specialists_worker_page_does_not_grow_with_shifts_runs_or_workers(app, client, people, sign_in):
    path = f"/staff/workers/{people.worker.id}"
    grow_the_workers_world(app, people.specialist, people.worker, people.supporter, 1, start_day=1)
    sign_in(client, people.specialist)
    small = queries_for(app, client, path)
    alerts = f"{path}/alerts"  # the part of the page that polls
    small_alerts = queries_for(app, client, alerts)
    grow_the_workers_world(app, people.specialist, people.worker, people.supporter, 12, start_day=2)
    page = client.get(path).text
    # The new rows are on the page: checklists, support persons, shifts.
    assert "Oppgave 13" in page and "Støtte 13" in page and page.count("/move\"") == 13
    assert page.count("har ikke trykket «Jeg har gått».") == 13  # the escalations, at the top
    big = queries_for(app, client, path)
    assert small == big
    assert small_alerts == queries_for(app, client, alerts) <= LIMIT


def test_i_dag_reads_its_one_row_cards_in_one_query(app, client, people, sign_in):
    """The shift now or next, the job card, the next event and the recommended lessons are one
    query together (services/one_row.py): the signed-in person, those, the notices and today's
    checklists."""
    sign_in(client, people.worker)
    assert queries_for(app, client, "/") == 4
