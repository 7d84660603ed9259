"""Checklists, runs, events, lessons and help through the API; the document; query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from openapi_spec_validator import validate

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import Event, HelpRequest, User
from worker_app.services import events, schedule, tasks

STEPS = [{"text": "Hent kluten.", "pictogram": "1F9FD"}, {"text": "Tørk av bordet.", "hint": "Begynn innerst."}]


def test_the_document_is_valid_openapi_3_1(document):
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["paths"]["/api/v1/shifts/bulk"]["post"]["security"] == [{"bearer": ["shifts:write"]}]


def test_the_documentation_page_names_every_operation(app, document):
    page = app.test_client().get("/api/v1/docs").text
    for path, methods in document["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in page


def test_make_a_checklist_push_it_and_the_worker_has_it(app, api, people, sign_in):
    made = api.post("/api/v1/checklists", {"title": "Tørke bord", "pictogram": "1F9FD", "steps": STEPS})
    assert made.status_code == 201
    assert [s["text"] for s in made.json["steps"]] == ["Hent kluten.", "Tørk av bordet."]
    assert made.json["pushed"] is False
    assert [c["title"] for c in api.get("/api/v1/checklists").json["items"]] == ["Tørke bord"]

    today = schedule.oslo(datetime.now(UTC)).date().isoformat()
    pushed = api.post(f"/api/v1/checklists/{made.json['id']}/assignments",
                      {"worker_ids": [people.worker.id], "on_date": today})
    assert pushed.status_code == 201 and pushed.json["items"][0]["on_date"] == today
    assert api.get(f"/api/v1/checklists/{made.json['id']}").json["pushed"] is True

    client = app.test_client()
    sign_in(client, people.worker)
    assert "Tørke bord" in client.get("/tasks").text


def test_a_checklist_with_a_bad_step_is_not_made(api):
    bad = api.post("/api/v1/checklists", {"title": "Tørke bord", "steps": [STEPS[0], {"text": "   "}]})
    assert bad.status_code == 422 and bad.json["errors"][0]["pointer"] == "/steps/1/text"
    assert api.get("/api/v1/checklists").json["items"] == []
    no_steps = api.post("/api/v1/checklists", {"title": "Tørke bord", "steps": []})
    assert no_steps.status_code == 422
    push = api.post("/api/v1/checklists/1/assignments", {"worker_ids": []})
    assert push.status_code in (404, 422)


def test_runs_show_the_steps_done(app, api, people):
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        worker = db.session.get(User, people.worker.id)
        checklist = tasks.create_with_steps(db.session, owner, "Tørke bord", "1F9FD",
                                            [tasks.NewStep("Hent kluten."), tasks.NewStep("Tørk av.")])
        today = schedule.oslo(datetime.now(UTC)).date()
        (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=owner, on_date=today)
        run = tasks.open_run(db.session, assignment, today)
        tasks.tick(db.session, run, checklist.versions[-1].steps[0], worker)
    runs = api.get(f"/api/v1/workers/{people.worker.id}/runs").json["items"]
    assert [(r["checklist_title"], r["steps_done"], r["steps_total"]) for r in runs] == [("Tørke bord", 1, 2)]


def _event(app, people, capacity=1) -> int:
    with app.app_context():
        start = datetime.now(UTC) + timedelta(days=3)
        event = Event(title="Bowling", place="Bowlinghallen", starts_at=start, ends_at=start + timedelta(hours=2),
                      capacity=capacity, created_by_id=people.organizer.id)
        db.session.add(event)
        db.session.commit()
        for person in (people.worker, people.second_worker):
            worker = db.session.get(User, person.id)
            events.join(db.session, event.id, worker, worker)
        return event.id


def test_events_and_who_is_signed_up_for_organizers_only(app, api, api_as, people):
    event_id = _event(app, people)
    listed = api.get("/api/v1/events").json["items"]
    assert [(e["title"], e["going"], e["waiting"]) for e in listed] == [("Bowling", 1, 1)]
    assert api.get(f"/api/v1/events/{event_id}/signups").status_code == 403
    signups = api_as(people.organizer).get(f"/api/v1/events/{event_id}/signups").json["items"]
    assert [(s["name"], s["state"]) for s in signups] == [("Ola Johansen", "going"), ("Emma Larsen", "waiting")]
    assert "phone" not in str(signups)


def test_lesson_progress(app, api, people):
    with app.app_context():
        from worker_app.services import learn

        lessons = app.extensions["lessons"]
        lesson = next(iter(lessons.values()))
        learn.recommend(db.session, db.session.get(User, people.specialist.id),
                        db.session.get(User, people.worker.id), lesson)
    items = api.get(f"/api/v1/workers/{people.worker.id}/lessons").json["items"]
    assert len(items) == len(lessons)
    assert items[0]["lesson"] == lesson.slug and items[0]["recommended"] is True
    assert all(i["state"] == "new" for i in items)


def test_help_requests_listed_and_handled(app, api, api_as, people):
    with app.app_context():
        mine = HelpRequest(worker_id=people.worker.id, reason="late")
        theirs = HelpRequest(worker_id=people.stranger_worker.id, reason="sad")
        db.session.add_all([mine, theirs])
        db.session.commit()
        mine_id, theirs_id = mine.id, theirs.id
    assert [h["id"] for h in api.get("/api/v1/help-requests").json["items"]] == [mine_id]
    assert api.post(f"/api/v1/help-requests/{theirs_id}/handled").status_code == 403
    handled = api.post(f"/api/v1/help-requests/{mine_id}/handled")
    assert handled.status_code == 200 and handled.json["handled_by_id"] == people.specialist.id
    assert api.get("/api/v1/help-requests").json["items"] == []
    assert [h["id"] for h in api.get("/api/v1/help-requests?handled=true").json["items"]] == [mine_id]
    reader = api_as(people.specialist, scopes=["help:read"])
    assert reader.post(f"/api/v1/help-requests/{mine_id}/handled").status_code == 403


# A fixed number of queries, whatever the amount of data ----------------------------------------------


def _grow(app, people, n: int, first: int = 0) -> None:
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        worker = db.session.get(User, people.worker.id)
        start = datetime(2030, 1, 1, 8, tzinfo=UTC)
        for i in range(first, first + n):
            schedule.add_shift_at(db.session, worker=worker, by=owner, starts_at=start + timedelta(days=i),
                                  ends_at=start + timedelta(days=i, hours=3))
            checklist = tasks.create_with_steps(db.session, owner, f"Oppgave {i}", "1F4CB",
                                                [tasks.NewStep("Gjør det.")])
            (assignment,) = tasks.push(db.session, checklist, workers=[worker], by=owner,
                                       on_date=(start + timedelta(days=i)).date())
            tasks.open_run(db.session, assignment, (start + timedelta(days=i)).date())
            db.session.add(HelpRequest(worker_id=worker.id, reason="late"))
            event = Event(title=f"Tur {i}", place="Skogen", starts_at=start + timedelta(days=i),
                          ends_at=start + timedelta(days=i, hours=2))
            db.session.add(event)
        db.session.commit()


CALLS = [
    "/api/v1/workers", "/api/v1/workers/{w}/shifts?from=2029-12-01T00:00:00Z&to=2030-12-01T00:00:00Z",
    "/api/v1/checklists", "/api/v1/workers/{w}/runs", "/api/v1/events", "/api/v1/help-requests",
    "/api/v1/workers/{w}/lessons",
]


@pytest.mark.parametrize("url", CALLS)
def test_each_list_costs_the_same_queries_with_1_or_60_rows(app, api, people, url, tmp_path):
    url = url.format(w=people.worker.id)
    _grow(app, people, 1)
    api.get(url)  # the token's last-used time is written once a minute; leave that out
    with count_queries(app) as few:
        assert api.get(url).status_code == 200
    _grow(app, people, 59, first=1)
    with count_queries(app) as many:
        page = api.get(url).json
    assert len(many) == len(few), (few, many)
    assert len(many) <= 6  # token, worker, follows, audit row, the page, its totals
    if "lessons" not in url and "workers?" not in url and url != "/api/v1/workers":
        assert len(page["items"]) == 50 and page["next_cursor"]
