"""The API's follow-up record (issue 16, item 4): a worker's meetings, the next meeting, the
support plan and the trial period; and a meeting held, recorded. Its own module, as the other
operations fill views.py; the same Api, policy (SEE_FOLLOW_UP, RECORD_FOLLOW_UP), read log and
problem details. The models it answers with are here too, as only these operations use them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from ..extensions import db
from ..models import MeetingPlace, MeetingWith, Scope
from ..models.types import utcnow
from ..policy import Action
from ..services import followup
from ..services.errors import Invalid
from ..services.limits import MEETING_NOTE_MAX, PLAN_FROM_MAX, PLAN_MAX
from . import schemas as s
from .spec import caller, decode_cursor
from .views import _TIME_ID_CURSOR, _page, _worker, api

# The service's form fields, as the places in the body they come from.
_POINTERS = {"day": "/held_at", "time": "/held_at", "next_day": "/next_at", "next_time": "/next_at",
             "next_place": "/next_place", "with_whom": "/with_whom", "note": "/note",
             "next_steps": "/next_steps"}


class MeetingOut(s.Output):
    id: int
    worker_id: int
    held_at: datetime
    with_whom: Literal["worker", "employer", "both"]
    note: str
    next_steps: str
    shared: bool = Field(description="Whether the worker sees the note and next steps.")
    next_at: datetime | None = Field(description="The next meeting planned at this one.")
    next_place: Literal["work", "office", "phone"] | None
    by: str | None = Field(description="The specialist who recorded it.")

    @classmethod
    def of(cls, m) -> MeetingOut:
        return cls(id=m.id, worker_id=m.worker_id, held_at=followup.oslo(m.held_at), with_whom=m.with_whom,
                   note=m.note, next_steps=m.next_steps, shared=m.shared,
                   next_at=followup.oslo(m.next_at) if m.next_at else None, next_place=m.next_place,
                   by=m.by.name if m.by else None)


MeetingPage = s.page_of(MeetingOut)


class MeetingIn(s.Input):
    held_at: s.When = Field(description="When it was held: not in the future.")
    with_whom: Literal["worker", "employer", "both"]
    note: s.text(MEETING_NOTE_MAX) = ""
    next_steps: s.text(MEETING_NOTE_MAX) = ""
    shared: bool = Field(True, description="Whether the worker sees the note and next steps.")
    next_at: s.When | None = Field(None, description="The next meeting: later than now, within a year.")
    next_place: Literal["work", "office", "phone"] = "work"


class PlanOut(s.Output):
    visits_now: str = Field(max_length=PLAN_MAX)
    visits_next: str = Field(max_length=PLAN_MAX)
    next_from: str = Field(max_length=PLAN_FROM_MAX)


class TrialOut(s.Output):
    starts_on: date
    ends_on: date
    weeks: int
    evaluation_at: datetime | None
    outcome: Literal["permanent", "longer", "ended"] | None
    outcome_on: date | None


class FollowUpOut(s.Output):
    worker_id: int
    next_meeting: MeetingOut | None = Field(description="The newest meeting, while its next one is to come.")
    plan: PlanOut | None
    trial: TrialOut | None = Field(description="The newest trial period, open or decided.")


@api.operation("GET", "/workers/<int:worker_id>/follow-up", summary="A worker's follow-up: next meeting, plan, trial",
               tag="Follow-up", scope=Scope.FOLLOWUP_READ, response=FollowUpOut)
def show_follow_up(worker_id: int):
    """The next meeting, the support plan and the newest trial period of a worker."""
    worker = _worker(worker_id, Action.SEE_FOLLOW_UP)
    latest = followup.meetings_page(db.session, worker, None, 1, shared_only=caller().id == worker.id).items
    meeting = followup.next_meeting(latest, utcnow())
    plan, trial = followup.plan_of(db.session, worker), followup.current_trial(db.session, worker)
    return FollowUpOut(
        worker_id=worker.id, next_meeting=MeetingOut.of(meeting) if meeting else None,
        plan=PlanOut(visits_now=plan.visits_now, visits_next=plan.visits_next, next_from=plan.next_from)
        if plan else None,
        trial=TrialOut(starts_on=trial.starts_on, ends_on=trial.ends_on, weeks=trial.weeks,
                       evaluation_at=followup.oslo(trial.evaluation_at) if trial.evaluation_at else None,
                       outcome=trial.outcome, outcome_on=trial.outcome_on) if trial else None)


@api.operation("GET", "/workers/<int:worker_id>/meetings", summary="A worker's follow-up meetings",
               tag="Follow-up", scope=Scope.FOLLOWUP_READ, query=s.PageQuery, response=MeetingPage)
def list_meetings(worker_id: int, query: s.PageQuery):
    """Meetings held, newest first. The worker's own token sees only the shared ones."""
    worker = _worker(worker_id, Action.SEE_FOLLOW_UP)
    page = followup.meetings_page(db.session, worker, decode_cursor(query.cursor, _TIME_ID_CURSOR),
                                  query.limit, shared_only=caller().id == worker.id)
    return MeetingPage(**_page(page, MeetingOut.of))


@api.operation("POST", "/workers/<int:worker_id>/meetings", summary="Record a meeting held",
               tag="Follow-up", scope=Scope.FOLLOWUP_WRITE, body=MeetingIn, response=MeetingOut, status=201)
def create_meeting(worker_id: int, body: MeetingIn):
    """A meeting held, what was agreed, and the next meeting, by the same rules as the page."""
    worker = _worker(worker_id, Action.RECORD_FOLLOW_UP)
    held, upcoming = followup.oslo(body.held_at), followup.oslo(body.next_at) if body.next_at else None
    data = followup.MeetingInput(
        day=held.date().isoformat(), time=held.strftime("%H:%M"), with_whom=MeetingWith(body.with_whom),
        note=body.note, next_steps=body.next_steps, shared=body.shared,
        next_day=upcoming.date().isoformat() if upcoming else "",
        next_time=upcoming.strftime("%H:%M") if upcoming else "",
        next_place=MeetingPlace(body.next_place).value)
    try:
        meeting = followup.add_meeting(db.session, caller(), worker, data, utcnow())
    except Invalid as problem:
        raise Invalid(problem.message, field=_POINTERS.get(problem.field or "", problem.field)) from None
    return MeetingOut.of(meeting)
