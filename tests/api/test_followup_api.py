"""The follow-up record through the API (issue 16, item 4): the same policy as the pages
(SEE_FOLLOW_UP, RECORD_FOLLOW_UP), its own scopes, reads in the audit log, fixed query counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.conftest import count_queries
from worker_app.extensions import db
from worker_app.models import AuditEntry, Meeting, SupportPlan, TrialPeriod, User

NOW = datetime.now(UTC).replace(microsecond=0)


def _held(days_ago: int) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat()


def test_a_meeting_recorded_is_listed_and_is_the_next_meeting(app, api, people):
    url = f"/api/v1/workers/{people.worker.id}/meetings"
    next_at = (NOW + timedelta(days=9)).replace(hour=9, minute=0, second=0)
    made = api.post(url, {"held_at": _held(2), "with_whom": "both", "note": "Det går fint.",
                          "next_steps": "Mer ansvar i kassa.", "next_at": next_at.isoformat(), "next_place": "work"})
    assert made.status_code == 201
    assert made.json["with_whom"] == "both" and made.json["by"] == people.specialist.name
    listed = api.get(url).json
    assert [m["id"] for m in listed["items"]] == [made.json["id"]] and listed["next_cursor"] is None
    summary = api.get(f"/api/v1/workers/{people.worker.id}/follow-up").json
    assert summary["next_meeting"]["id"] == made.json["id"]
    assert datetime.fromisoformat(summary["next_meeting"]["next_at"]) == next_at
    assert summary["plan"] is None and summary["trial"] is None
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "meeting.create")).one()


def test_the_plan_and_the_trial_are_in_the_summary(app, api, people):
    with app.app_context():
        db.session.add(SupportPlan(worker_id=people.worker.id, visits_now="Hver uke", visits_next="Hver måned",
                                   next_from="fra mars", updated_by_id=people.specialist.id))
        db.session.add(TrialPeriod(worker_id=people.worker.id, starts_on=NOW.date(), weeks=4,
                                   created_by_id=people.specialist.id))
        db.session.commit()
    summary = api.get(f"/api/v1/workers/{people.worker.id}/follow-up").json
    assert summary["plan"] == {"visits_now": "Hver uke", "visits_next": "Hver måned", "next_from": "fra mars"}
    assert summary["trial"]["weeks"] == 4 and summary["trial"]["outcome"] is None
    assert summary["next_meeting"] is None


def test_bad_meetings_are_problem_details_naming_the_field(api, people):
    url = f"/api/v1/workers/{people.worker.id}/meetings"
    future = api.post(url, {"held_at": (NOW + timedelta(days=1)).isoformat(), "with_whom": "worker"})
    assert future.status_code == 422 and future.mimetype == "application/problem+json"
    assert [e["pointer"] for e in future.json["errors"]] == ["/held_at"]
    past_next = api.post(url, {"held_at": _held(1), "with_whom": "worker", "next_at": _held(3)})
    assert past_next.status_code == 422 and [e["pointer"] for e in past_next.json["errors"]] == ["/next_at"]
    unknown = api.post(url, {"held_at": _held(1), "with_whom": "the cat"})
    assert unknown.status_code == 422 and unknown.json["errors"][0]["pointer"] == "/with_whom"
    assert api.get(url).json["items"] == []


def test_only_the_workers_specialist_with_the_follow_up_scopes(api, api_as, people):
    worker = people.worker.id
    other = api_as(people.other_specialist)
    assert other.get(f"/api/v1/workers/{worker}/meetings").status_code == 403
    assert other.get(f"/api/v1/workers/{worker}/follow-up").status_code == 403
    assert other.post(f"/api/v1/workers/{worker}/meetings", {"held_at": _held(1), "with_whom": "worker"}
                      ).status_code == 403
    reader = api_as(people.specialist, scopes=["people:read", "followup:read"])
    assert reader.get(f"/api/v1/workers/{worker}/meetings").status_code == 200
    refused = reader.post(f"/api/v1/workers/{worker}/meetings", {"held_at": _held(1), "with_whom": "worker"})
    assert refused.status_code == 403 and "followup:write" in refused.json["detail"]
    shifts_only = api_as(people.specialist, scopes=["shifts:read"])
    assert shifts_only.get(f"/api/v1/workers/{worker}/follow-up").status_code == 403
    assert api.get("/api/v1/workers/999999/meetings").status_code == 404


def test_reading_the_follow_up_is_in_the_audit_log(app, api, people):
    api.get(f"/api/v1/workers/{people.worker.id}/meetings")
    api.get(f"/api/v1/workers/{people.worker.id}/follow-up")
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api.read")
                                     .order_by(AuditEntry.id)).all()
        assert [e.worker_id for e in entries] == [people.worker.id] * 2
        assert {e.actor_id for e in entries} == {people.specialist.id}
        assert "list_meetings" in entries[0].detail and "show_follow_up" in entries[1].detail


def _meetings(app, people, n: int, first: int = 0) -> None:
    with app.app_context():
        for i in range(first, first + n):
            db.session.add(Meeting(worker_id=people.worker.id, by_id=people.specialist.id, with_whom="worker",
                                   held_at=NOW - timedelta(days=400 - i), note=f"Møte {i}"))
        db.session.commit()


def test_the_meeting_list_costs_the_same_queries_with_1_or_60_rows(app, api, people):
    url = f"/api/v1/workers/{people.worker.id}/meetings"
    _meetings(app, people, 1)
    api.get(url)  # the token's last-used time is written once a minute; leave that out
    with count_queries(app) as few:
        assert api.get(url).status_code == 200
    _meetings(app, people, 59, first=1)
    with count_queries(app) as many:
        page = api.get(url).json
    assert len(many) == len(few) <= 6, (few, many)
    assert len(page["items"]) == 50 and page["next_cursor"]
    rest = api.get(f"{url}?cursor={page['next_cursor']}").json
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None
    assert [m["note"] for m in page["items"][:2]] == ["Møte 59", "Møte 58"]  # newest first


def test_the_document_names_the_follow_up_operations_and_scopes(document):
    paths = document["paths"]
    assert paths["/api/v1/workers/{worker_id}/meetings"]["get"]["security"] == [{"bearer": ["followup:read"]}]
    assert paths["/api/v1/workers/{worker_id}/meetings"]["post"]["security"] == [{"bearer": ["followup:write"]}]
    assert paths["/api/v1/workers/{worker_id}/follow-up"]["get"]["security"] == [{"bearer": ["followup:read"]}]
    assert "422" in paths["/api/v1/workers/{worker_id}/meetings"]["post"]["responses"]


def test_the_workers_own_reads_see_only_shared_notes(app, people):
    """The worker's own reads (SEE_FOLLOW_UP allows them) see only shared notes: the service."""
    from worker_app.services import followup

    _meetings(app, people, 1)
    with app.app_context():
        db.session.add(Meeting(worker_id=people.worker.id, by_id=people.specialist.id, with_whom="worker",
                               held_at=NOW - timedelta(days=1), note="Bare for jobb-spesialisten.", shared=False))
        db.session.commit()
        worker = db.session.get(User, people.worker.id)
        shared = followup.meetings_page(db.session, worker, None, 50, shared_only=True).items
        assert [m.note for m in shared] == ["Møte 0"]
