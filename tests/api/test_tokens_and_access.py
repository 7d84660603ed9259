"""Who gets in, and to what: tokens, scopes, and the owner's rights."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from worker_app.extensions import db
from worker_app.models import ApiToken, Role, Shift, User
from worker_app.services import api_tokens

SHIFT = {"starts_at": "2030-01-07T09:00:00+01:00", "ends_at": "2030-01-07T12:00:00+01:00"}


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(api):
    for token in (None, "wa_not-a-real-token", "Basic abc"):
        response = api.get("/api/v1/workers", token=token)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_token_is_stored_only_as_a_hash(app, make_token, people):
    secret = make_token(people.specialist)
    with app.app_context():
        row = db.session.scalars(select(ApiToken)).one()
        assert secret not in (row.token_hash, row.hint, row.name)
        assert row.token_hash == api_tokens.hash_token(secret)
        assert secret.startswith(row.hint)


def test_a_revoked_token_is_refused(app, api, people):
    assert api.get("/api/v1/workers").status_code == 200
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        api_tokens.revoke(db.session, token, db.session.get(User, people.specialist.id))
    assert api.get("/api/v1/workers").status_code == 401


def test_a_token_stops_working_when_its_owner_is_no_longer_active_staff(app, api, people):
    with app.app_context():
        owner = db.session.get(User, people.specialist.id)
        owner.active = False
        db.session.commit()
    assert api.get("/api/v1/workers").status_code == 401


def test_a_token_without_shifts_write_cannot_write_shifts(api_as, people):
    reader = api_as(people.specialist, scopes=["shifts:read", "people:read"])
    worker = people.worker.id
    created = reader.post(f"/api/v1/workers/{worker}/shifts", SHIFT)
    assert created.status_code == 403 and "shifts:write" in created.json["detail"]
    roster = reader.post("/api/v1/shifts/bulk", {"source": "hotel", "shifts": [
        {"external_id": "1", "worker_id": worker, **SHIFT}]})
    assert roster.status_code == 403
    assert reader.get(f"/api/v1/workers/{worker}/shifts?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z"
                      ).status_code == 200


def test_the_last_use_is_recorded(app, api):
    api.get("/api/v1/workers")
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).one().last_used_at is not None


# One specialist's token and another specialist's worker ------------------------------------------

OTHER_WORKER_CALLS = [
    ("GET", "/api/v1/workers/{w}", None),
    ("GET", "/api/v1/workers/{w}/shifts?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z", None),
    ("POST", "/api/v1/workers/{w}/shifts", SHIFT),
    ("GET", "/api/v1/workers/{w}/runs", None),
    ("GET", "/api/v1/workers/{w}/lessons", None),
    ("POST", "/api/v1/shifts/bulk", {"source": "hotel", "shifts": [{"external_id": "1", "worker_id": "{w}", **SHIFT}]}),
]


@pytest.mark.parametrize(("method", "url", "body"), OTHER_WORKER_CALLS)
def test_a_specialist_token_cannot_touch_another_specialists_worker(api, people, method, url, body):
    stranger = people.stranger_worker.id
    if body and "shifts" in body:
        body = {**body, "shifts": [{**body["shifts"][0], "worker_id": stranger}]}
    response = api.call(method, url.format(w=stranger), body)
    assert response.status_code == 403


def test_another_specialists_shift_checklist_and_help_are_403(app, api, api_as, people, make_token):
    other = api_as(people.other_specialist)
    shift = other.post(f"/api/v1/workers/{people.stranger_worker.id}/shifts", SHIFT).json
    checklist = other.post("/api/v1/checklists", {"title": "Vaske gulv", "steps": [{"text": "Hent bøtta."}]}).json
    assert api.get(f"/api/v1/shifts/{shift['id']}").status_code == 403
    assert api.patch(f"/api/v1/shifts/{shift['id']}", {"note": "Hei"}).status_code == 403
    assert api.delete(f"/api/v1/shifts/{shift['id']}").status_code == 403
    assert api.get(f"/api/v1/checklists/{checklist['id']}").status_code == 403
    assert api.post(f"/api/v1/checklists/{checklist['id']}/assignments",
                    {"worker_ids": [people.worker.id], "every_shift": True}).status_code == 403
    with app.app_context():
        assert db.session.get(Shift, shift["id"]).cancelled_at is None
    # Kari's own checklist can't be pushed to Per's worker either.
    own = api.post("/api/v1/checklists", {"title": "Brette håndklær", "steps": [{"text": "Brett på midten."}]}).json
    pushed = api.post(f"/api/v1/checklists/{own['id']}/assignments",
                      {"worker_ids": [people.stranger_worker.id], "every_shift": True})
    assert pushed.status_code == 403 and pushed.json["errors"][0]["pointer"] == "/worker_ids/0"


def test_lists_hold_only_the_callers_workers(api, api_as, people):
    names = {w["name"] for w in api.get("/api/v1/workers").json["items"]}
    assert names == {"Ola Johansen", "Emma Larsen"}
    other = {w["name"] for w in api_as(people.other_specialist).get("/api/v1/workers").json["items"]}
    assert other == {"Jonas Berg"}
    admin = {w["name"] for w in api_as(people.admin).get("/api/v1/workers").json["items"]}
    assert admin == {"Ola Johansen", "Emma Larsen", "Jonas Berg"}
    assert api_as(people.organizer).get("/api/v1/workers").json["items"] == []


def test_unknown_ids_are_404(api, api_as, people):
    for url in ("/api/v1/workers/999999", "/api/v1/shifts/999999", "/api/v1/checklists/999999",
                "/api/v1/workers/99999999999"):
        assert api.get(url).status_code == 404, url
    assert api.post("/api/v1/help-requests/999999/handled").status_code == 404
    assert api_as(people.organizer).get("/api/v1/events/999999/signups").status_code == 404


def test_a_browser_session_is_no_way_into_the_api(app, people, sign_in):
    client = app.test_client()
    sign_in(client, people.specialist)
    assert client.get("/api/v1/workers").status_code == 401


def test_over_the_rate_limit_the_answer_is_429_problem(tmp_path, people):
    from tests.conftest import fresh_app

    with fresh_app(tmp_path, RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute") as limited:
        with limited.app_context():
            owner = db.session.scalar(select(User).where(User.role == "specialist"))
            if owner is None:
                owner = User(name="Kari", role="specialist", email="k@x.no")
                db.session.add(owner)
                db.session.commit()
            _token, secret = api_tokens.create(db.session, owner, "Test", ["people:read"])
            _token, other = api_tokens.create(db.session, owner, "Other", ["people:read"])
        client = limited.test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        codes = [client.get("/api/v1/workers", headers=headers).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        answer = client.get("/api/v1/workers", headers=headers)
        assert answer.mimetype == "application/problem+json" and answer.json["status"] == 429
        # The limit is per token: another token still gets in.
        assert client.get("/api/v1/workers", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_reading_a_workers_data_is_in_the_audit_log(app, api, people):
    from worker_app.models import AuditEntry

    api.get(f"/api/v1/workers/{people.worker.id}/lessons")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api.read")).one()
        assert entry.worker_id == people.worker.id and entry.actor_id == people.specialist.id
        assert "list_lessons" in entry.detail


def test_signing_out_everywhere_or_a_new_role_ends_the_tokens(app, api, api_as, people, sign_in):
    from worker_app.services import auth
    from worker_app.services import people as people_service

    assert api.get("/api/v1/workers").status_code == 200
    with app.app_context():
        auth.sign_out_everywhere(db.session, db.session.get(User, people.specialist.id))
    assert api.get("/api/v1/workers").status_code == 401

    admin_token = api_as(people.other_specialist)
    with app.app_context():
        person = db.session.get(User, people.other_specialist.id)
        people_service.save_user(db.session, actor=db.session.get(User, people.admin.id), user=person,
                                 name=person.name, role=Role.ADMIN, email=person.email)
    assert admin_token.get("/api/v1/workers").status_code == 401


def test_the_rate_limit_counts_the_token_however_the_header_is_spelled(tmp_path, people):
    from tests.conftest import fresh_app

    with fresh_app(tmp_path, RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute") as limited:
        with limited.app_context():
            owner = User(name="Kari", role="specialist", email="k@x.no")
            db.session.add(owner)
            db.session.commit()
            _token, secret = api_tokens.create(db.session, owner, "Test", ["people:read"])
        client = limited.test_client()
        codes = [client.get("/api/v1/workers", headers={"Authorization": header}).status_code
                 for header in (f"Bearer {secret}", f"bearer {secret}", f"BEARER  {secret}")]
        assert codes == [200, 200, 429]


def test_reading_shifts_and_help_requests_is_logged_too(app, api, people):
    from worker_app.models import AuditEntry, HelpRequest

    made = api.post(f"/api/v1/workers/{people.worker.id}/shifts", SHIFT).json
    with app.app_context():
        db.session.add(HelpRequest(worker_id=people.second_worker.id, reason="unsafe"))
        db.session.commit()
    api.get(f"/api/v1/shifts/{made['id']}")
    api.get("/api/v1/help-requests")
    with app.app_context():
        read = db.session.execute(select(AuditEntry.worker_id, AuditEntry.detail)
                                  .where(AuditEntry.action == "api.read")).all()
    assert {(w, d.split(" ")[0]) for w, d in read} == {(people.worker.id, "api.show_shift"),
                                                       (people.second_worker.id, "api.list_help")}
