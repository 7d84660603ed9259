"""One rule, one place: for each rule the HTML pages and the API once disagreed on, both now ask
the same service and give the same answer."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import MASTERED, Assignment, AuditEntry, Notice, Permission, Shift, User
from worker_app.services import schedule, tasks
from worker_app.services.limits import NOTE_MAX, TITLE_MAX


def _today():
    return schedule.oslo(datetime.now(UTC)).date()


def _shift(app, people, cancelled=False) -> int:
    with app.app_context():
        shift = Shift(worker_id=people.worker.id, starts_at=datetime(2030, 1, 4, 8, tzinfo=UTC),
                      ends_at=datetime(2030, 1, 4, 11, tzinfo=UTC),
                      cancelled_at=datetime.now(UTC) if cancelled else None)
        db.session.add(shift)
        db.session.commit()
        return shift.id


def _notices(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Notice))


def test_a_cancelled_shift_cannot_be_moved_on_the_page_nor_in_the_api(app, api, people, sign_in, client):
    shift_id = _shift(app, people, cancelled=True)
    sign_in(client, people.specialist)
    page = client.post(f"/staff/shifts/{shift_id}/move", data={
        "shift-day": "2030-01-04", "shift-start": "10:00", "shift-end": "13:00"})
    assert page.status_code == 400 and "Vakten er avlyst. Den kan ikke flyttes." in page.get_data(as_text=True)
    answer = api.patch(f"/api/v1/shifts/{shift_id}", {"starts_at": "2030-01-04T10:00:00+01:00",
                                                      "ends_at": "2030-01-04T13:00:00+01:00"})
    assert answer.status_code == 409 and answer.json["detail"] == "Vakten er avlyst. Den kan ikke flyttes."
    with app.app_context():
        assert db.session.get(Shift, shift_id).starts_at == datetime(2030, 1, 4, 8, tzinfo=UTC)
    assert _notices(app) == 0  # nobody is told "the shift has changed"


def test_a_note_over_the_limit_is_refused_never_cut(app, api, people, sign_in, client):
    shift_id = _shift(app, people)
    long_note, fits = "a" * (NOTE_MAX + 1), "a" * NOTE_MAX
    sign_in(client, people.specialist)
    page = client.post(f"/staff/shifts/{shift_id}/move", data={
        "shift-day": "2030-01-04", "shift-start": "09:00", "shift-end": "12:00", "shift-note": long_note})
    assert page.status_code == 400 and f"høyst {NOTE_MAX} tegn" in page.get_data(as_text=True)
    assert api.patch(f"/api/v1/shifts/{shift_id}", {"note": long_note}).status_code == 422
    added = api.post(f"/api/v1/workers/{people.worker.id}/shifts", {
        "starts_at": "2030-01-07T09:00:00+01:00", "ends_at": "2030-01-07T12:00:00+01:00", "note": long_note})
    assert added.status_code == 422
    with app.app_context():
        assert db.session.get(Shift, shift_id).note == ""
        # The service itself refuses it too, whoever calls it (a roster, a command).
        shift = db.session.get(Shift, shift_id)
        by = db.session.get(User, people.specialist.id)
        try:
            schedule.move_shift_at(db.session, shift, by=by, starts_at=shift.starts_at,
                                   ends_at=shift.ends_at, note=long_note)
        except schedule.Invalid as problem:
            assert problem.field == "note"
        else:
            raise AssertionError("a long note was taken")
        db.session.rollback()
    assert api.patch(f"/api/v1/shifts/{shift_id}", {"note": fits}).json["note"] == fits


def test_a_checklist_title_has_one_limit_and_an_audit_entry_either_way(app, api, people, sign_in, client):
    sign_in(client, people.specialist)
    step = [{"text": "Fyll vann."}]
    too_long = "K" * (TITLE_MAX + 1)
    assert client.post("/staff/checklists", data={"title": too_long}).status_code == 400
    assert api.post("/api/v1/checklists", {"title": too_long, "steps": step}).status_code == 422
    longest = "K" * TITLE_MAX
    assert client.post("/staff/checklists", data={"title": longest}).status_code == 302
    assert api.post("/api/v1/checklists", {"title": longest + "", "steps": step}).status_code == 201
    with app.app_context():
        logged = db.session.execute(select(AuditEntry.action, AuditEntry.detail)
                                    .where(AuditEntry.action == "checklist.create")).all()
    assert logged == [("checklist.create", longest)] * 2  # the page's and the API's


def _checklist(app, people, steps=2) -> int:
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        checklist = tasks.create_checklist(db.session, owner, "Fylle kaffe-maskinen")
        for i in range(steps):
            tasks.add_step(db.session, checklist, text=f"Steg {i + 1}.", pictogram="2615")
        db.session.commit()
        return checklist.id


def _assignments(app) -> list[int]:
    with app.app_context():
        return sorted(db.session.scalars(select(Assignment.worker_id)))


def test_a_worker_named_twice_gets_the_checklist_once_on_the_page_and_in_the_api(app, api, people, sign_in, client):
    checklist_id = _checklist(app, people)
    sign_in(client, people.specialist)
    twice = [str(people.worker.id), str(people.second_worker.id), str(people.worker.id)]
    page = client.post(f"/staff/checklists/{checklist_id}/push",
                       data={"workers": twice, "on_date": _today().isoformat()})
    assert page.status_code == 302
    assert _assignments(app) == sorted([people.worker.id, people.second_worker.id])
    # They have it that day now: the API asks too (409), until told which one to keep.
    again = {"worker_ids": [int(i) for i in twice], "on_date": _today().isoformat()}
    assert api.post(f"/api/v1/checklists/{checklist_id}/assignments", again).status_code == 409
    answer = api.post(f"/api/v1/checklists/{checklist_id}/assignments", {**again, "on_clash": "replace"})
    assert answer.status_code == 201 and len(answer.json["items"]) == 2
    assert _assignments(app) == sorted([people.worker.id, people.second_worker.id] * 2)


def test_pushing_to_more_workers_reads_no_more(app, people, sign_in, client, make_user, follow):
    """The workers are loaded (and checked) together: no query per worker. (Each new row is
    still written on its own.)"""
    checklist_id = _checklist(app, people)
    more = [make_user("worker") for _ in range(4)]
    for worker in more:
        follow(people.specialist, worker)
    sign_in(client, people.specialist)

    def push(workers) -> int:
        with count_queries(app) as statements:
            assert client.post(f"/staff/checklists/{checklist_id}/push", data={
                "workers": [str(w.id) for w in workers], "on_date": _today().isoformat()}).status_code == 302
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    push([people.worker])  # the first push freezes the version; compare the ones after it
    assert push([people.second_worker]) == push(more)


def test_a_run_is_finished_by_the_required_steps_whoever_ticks_the_last_one(
        app, api, people, sign_in, support_link, make_user):
    """The second step is mastered (not shown, not required). The worker's run ends when the
    worker ticks the first step; so does it when a support person ticks it for them."""
    supporter = make_user("support")
    support_link(people.worker, supporter, Permission.SEE_TASKS, Permission.TICK_TASKS)
    checklist_id = _checklist(app, people, steps=2)
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        worker = db.session.get(User, people.worker.id)
        checklist = tasks.get_checklist(db.session, checklist_id)
        (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=owner, on_date=_today())
        tasks.set_level(db.session, owner, worker, checklist.versions[-1].steps[1].key, MASTERED)
        db.session.commit()
        assignment_id = assignment.id

    def finished() -> list:
        runs = api.get(f"/api/v1/workers/{people.worker.id}/runs").json["items"]
        return [run["finished_at"] is not None for run in runs]

    helper = app.test_client()
    sign_in(helper, supporter)
    ticked = helper.post(f"/support/workers/{people.worker.id}/tasks/{assignment_id}/step/1")
    assert ticked.status_code == 302
    assert finished() == [True]
    # The same, the next day, by the worker.
    with app.app_context():
        for run in db.session.scalars(select(tasks.Run)):
            run.day -= timedelta(days=1)
        db.session.commit()
    worker = app.test_client()
    sign_in(worker, people.worker)
    done = worker.post(f"/tasks/{assignment_id}/step/1/done")
    assert done.status_code == 302 and done.location.endswith(f"/tasks/{assignment_id}/finished")
    assert finished() == [True, True]
