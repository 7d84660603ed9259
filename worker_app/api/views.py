"""The API's operations. Thin, like the HTML views: check with the policy, call a service, answer.

A token acts with its owner's rights (the policy decides) and only within its scopes (spec.py).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

from flask import Blueprint, current_app, g, render_template, request

from ..extensions import csrf, db, limiter
from ..models import Role, Scope, User
from ..policy import Action, can, managed_worker_ids
from ..services import audit, events, learn, people, roster_keys, schedule, tasks
from ..services import help as help_service
from ..services.errors import NotFound
from ..web import SignIn, signs_in_with
from . import schemas as s
from .problems import TITLES as _TITLES
from .problems import domain_problem, http_problem  # noqa: F401 - the old import path
from .spec import Api, ApiProblem, caller, decode_cursor, encode_cursor, problem_response

bp = signs_in_with(Blueprint("api", __name__, url_prefix="/api/v1"), SignIn.TOKEN)
# Bearer tokens, not cookies: a forged cross-site request has no token to send.
csrf.exempt(bp)

api = Api(bp, title="Arbeidsdagen API", version="1.0.0", description=(
    "For integrations: an employer's shift system, a job specialist's tools. A token is made by "
    "staff on the page API-nøkler, acts with its owner's rights, and only within its scopes. "
    "Lists are paged with `limit` and `cursor`. Times are ISO 8601 with an offset (answers use "
    "Europe/Oslo). Errors are RFC 9457 problem details; rule messages follow Accept-Language "
    "(nb, nn or en)."))


def _token_key() -> str:
    """Rate limits count per token (a hash of its secret, however the header is spelled)."""
    _scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    return "api-token:" + hashlib.sha256(secret.strip().encode()).hexdigest()[:24]


# Per token; and per address, so that trying many made-up tokens is limited too.
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=_token_key)(bp)
limiter.limit(lambda: current_app.config["API_ADDRESS_RATE_LIMIT"], key_func=lambda: "api-addr:" + (
    request.remote_addr or ""))(bp)


def _ensure(action: Action, thing=None) -> None:
    if not can(caller(), action, thing):
        raise ApiProblem(403, "The token's owner may not see or change this.")


def _worker(worker_id: int, action: Action) -> User:
    try:
        worker = people.get_user(db.session, worker_id, Role.WORKER)
    except NotFound:
        raise ApiProblem(404, "No worker with this id.") from None
    _ensure(action, worker)
    if request.method == "GET":
        _log_read([worker])
    return worker


def _log_read(workers) -> None:
    """As a specialist's visit to a worker's page is, every API read of a worker's data is
    logged. (Changes are logged by the services that make them.)"""
    audit.record_each(db.session, caller(), "api.read", workers, f"{request.endpoint} ({g.api_token.name})")


def _workers_named(ids: list[int], pointer, action: Action) -> list[User]:
    """The workers of a list of ids in a request body, each one the caller may `action`; else
    a 422 (not a worker) or a 403 (not theirs) naming the place in the body (pointer(i))."""
    found = people.users_by_id(db.session, set(ids))
    workers = []
    for i, worker_id in enumerate(ids):
        worker = found.get(worker_id)
        if worker is None or worker.role != Role.WORKER:
            raise ApiProblem(422, "An id is not a worker.",
                             [{"pointer": pointer(i), "detail": "No worker with this id."}])
        if not can(caller(), action, worker):
            raise ApiProblem(403, "The token's owner does not follow this worker.",
                             [{"pointer": pointer(i), "detail": "Not a worker you follow."}])
        workers.append(worker)
    return workers


def _page(page, item) -> dict:
    return {"items": [item(row) for row in page.items], "next_cursor": encode_cursor(page.next_after)}


def _cursor_of(*parsers):
    """How to read a cursor's key back: one parser per key part, the last part always an id."""
    def parse(values) -> tuple:
        if not isinstance(values, list) or len(values) != len(parsers):
            raise TypeError
        return tuple(read(value) for read, value in zip(parsers, values, strict=True))
    return parse


def _id(value) -> int:
    if type(value) is not int or not 1 <= value <= s.MAX_ID:  # bool is an int too
        raise ValueError
    return value


def _moment(value) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None or not 2000 <= moment.year <= 2100:
        raise ValueError
    return moment.astimezone(UTC)


def _day(value) -> date:
    day = date.fromisoformat(value)
    if not 2000 <= day.year <= 2100:
        raise ValueError
    return day


_ID_CURSOR = _cursor_of(_id)
_TIME_ID_CURSOR = _cursor_of(_moment, _id)
_DATE_ID_CURSOR = _cursor_of(_day, _id)


# People -----------------------------------------------------------------------------------------


@api.operation("GET", "/workers", summary="Workers the caller follows", tag="People",
               scope=Scope.PEOPLE_READ, query=s.PageQuery, response=s.WorkerPage)
def list_workers(query: s.PageQuery):
    """The workers the token's owner follows (an admin: all workers)."""
    page = people.workers_page(db.session, managed_worker_ids(caller()), decode_cursor(query.cursor, _ID_CURSOR),
                               query.limit)
    _log_read(page.items)
    return s.WorkerPage(**_page(page, s.WorkerOut.of))


@api.operation("GET", "/workers/<int:worker_id>", summary="One worker", tag="People",
               scope=Scope.PEOPLE_READ, response=s.WorkerOut)
def show_worker(worker_id: int):
    """One worker the token's owner follows."""
    return s.WorkerOut.of(_worker(worker_id, Action.VIEW_WORKER))


# Shifts -----------------------------------------------------------------------------------------


@api.operation("GET", "/workers/<int:worker_id>/shifts", summary="A worker's shifts in a time range",
               tag="Shifts", scope=Scope.SHIFTS_READ, query=s.ShiftQuery, response=s.ShiftPage)
def list_shifts(worker_id: int, query: s.ShiftQuery):
    """Shifts that overlap [from, to), cancelled ones included, in time order."""
    worker = _worker(worker_id, Action.SEE_SHIFTS)
    page = schedule.shifts_between(db.session, worker, query.from_, query.to,
                                   decode_cursor(query.cursor, _TIME_ID_CURSOR), query.limit)
    return s.ShiftPage(**_page(page, s.ShiftOut.of))


@api.operation("POST", "/workers/<int:worker_id>/shifts", summary="Add a shift", tag="Shifts",
               scope=Scope.SHIFTS_WRITE, body=s.ShiftIn, response=s.ShiftOut, status=201, conflicts=True)
def create_shift(worker_id: int, body: s.ShiftIn):
    """Add one shift; it may not overlap another of the worker's shifts."""
    worker = _worker(worker_id, Action.MANAGE_SHIFTS)
    shift = schedule.add_shift_at(db.session, worker=worker, by=caller(), starts_at=body.starts_at,
                                  ends_at=body.ends_at, note=body.note)
    return s.ShiftOut.of(shift)


def _shift(shift_id: int):
    try:
        shift = schedule.get_shift(db.session, shift_id)
    except NotFound:
        raise ApiProblem(404, "No shift with this id.") from None
    return shift


@api.operation("GET", "/shifts/<int:shift_id>", summary="One shift", tag="Shifts",
               scope=Scope.SHIFTS_READ, response=s.ShiftOut)
def show_shift(shift_id: int):
    """One shift of a worker the token's owner may see."""
    shift = _shift(shift_id)
    _ensure(Action.SEE_SHIFTS, shift.worker)
    _log_read([shift.worker])
    return s.ShiftOut.of(shift)


@api.operation("PATCH", "/shifts/<int:shift_id>", summary="Move a shift or change its note", tag="Shifts",
               scope=Scope.SHIFTS_WRITE, body=s.ShiftPatch, response=s.ShiftOut, conflicts=True)
def update_shift(shift_id: int, body: s.ShiftPatch):
    """Move a shift or change its note; the worker (and whoever they let see shifts) is told."""
    shift = _shift(shift_id)
    _ensure(Action.MANAGE_SHIFTS, shift.worker)
    schedule.move_shift_at(db.session, shift, by=caller(), starts_at=body.starts_at or shift.starts_at,
                           ends_at=body.ends_at or shift.ends_at, note=body.note)
    return s.ShiftOut.of(shift)


@api.operation("DELETE", "/shifts/<int:shift_id>", summary="Cancel a shift", tag="Shifts",
               scope=Scope.SHIFTS_WRITE, status=204)
def delete_shift(shift_id: int):
    """Cancel a shift. It stays in the list as cancelled, so the worker sees that it is off."""
    shift = _shift(shift_id)
    _ensure(Action.MANAGE_SHIFTS, shift.worker)
    schedule.cancel_shift(db.session, shift, by=caller())


@api.operation("POST", "/shifts/bulk", summary="Upload an employer's roster", tag="Shifts",
               scope=Scope.SHIFTS_WRITE, body=s.RosterIn, response=s.RosterOut, conflicts=True)
def upsert_roster(body: s.RosterIn):
    """Make or update each shift, keyed by the employer's own id. All rows or none; sending the
    same roster again changes nothing. Keys belong to the token's owner: the same id sent by
    another owner is another shift, and is never told about. A shift keyed by another owner
    for a worker you follow (say, after the worker was handed over to you) is updated and
    becomes yours. 409: the same new shifts sent twice at the same time, or a shift that
    overlaps another of the same worker."""
    # Keys are per sender: another sender's ids are invisible, except on workers the caller
    # manages, which it takes over (services/roster_keys.py).
    existing = roster_keys.existing(db.session, caller(), body.source, [r.external_id for r in body.shifts])
    workers = _workers_named([r.worker_id for r in body.shifts], lambda i: f"/shifts/{i}/worker_id",
                             Action.MANAGE_SHIFTS)
    rows = [schedule.RosterRow(row.external_id, worker, row.starts_at, row.ends_at, row.note, row.cancelled)
            for row, worker in zip(body.shifts, workers, strict=True)]
    result = schedule.upsert_roster(db.session, by=caller(), source=body.source, rows=rows, existing=existing)
    return s.RosterOut(created=result.created, updated=result.updated, unchanged=result.unchanged,
                       shifts=[s.RosterEntryOut(external_id=e, id=shift.id) for e, shift in result.shifts])


# Checklists -------------------------------------------------------------------------------------


@api.operation("GET", "/checklists", summary="The caller's checklists", tag="Checklists",
               scope=Scope.CHECKLISTS_READ, query=s.PageQuery, response=s.ChecklistPage)
def list_checklists(query: s.PageQuery):
    """The token owner's library, without archived checklists."""
    _ensure(Action.USE_LIBRARY)
    page = tasks.library_page(db.session, caller(), decode_cursor(query.cursor, _ID_CURSOR), query.limit)
    return s.ChecklistPage(**_page(page, lambda c: s.ChecklistSummaryOut(id=c.id, title=c.title,
                                                                          pictogram=c.pictogram)))


def _checklist(checklist_id: int):
    try:
        checklist = tasks.get_checklist(db.session, checklist_id)
    except NotFound:
        raise ApiProblem(404, "No checklist with this id.") from None
    _ensure(Action.USE_LIBRARY)
    _ensure(Action.EDIT_CHECKLIST, checklist)
    return checklist


@api.operation("GET", "/checklists/<int:checklist_id>", summary="A checklist with its steps",
               tag="Checklists", scope=Scope.CHECKLISTS_READ, response=s.ChecklistOut)
def show_checklist(checklist_id: int):
    """The newest version's steps, in order."""
    return s.ChecklistOut.of(_checklist(checklist_id))


@api.operation("POST", "/checklists", summary="Make a checklist with its steps", tag="Checklists",
               scope=Scope.CHECKLISTS_WRITE, body=s.ChecklistIn, response=s.ChecklistOut, status=201)
def create_checklist(body: s.ChecklistIn):
    """A new checklist in the owner's library, as a draft until it is pushed."""
    _ensure(Action.USE_LIBRARY)
    checklist = tasks.create_with_steps(db.session, caller(), body.title, body.pictogram, [
        tasks.NewStep(step.text, step.hint, step.pictogram) for step in body.steps])
    return s.ChecklistOut.of(tasks.get_checklist(db.session, checklist.id))


@api.operation("POST", "/checklists/<int:checklist_id>/assignments", summary="Push a checklist to workers",
               tag="Checklists", scope=Scope.CHECKLISTS_WRITE, body=s.AssignmentIn, response=s.AssignmentList,
               status=201, conflicts=True)
def push_checklist(checklist_id: int, body: s.AssignmentIn):
    """Freeze the newest version and give it to each worker: once, on weekdays, or every shift."""
    checklist = _checklist(checklist_id)
    workers = _workers_named(body.worker_ids, lambda i: f"/worker_ids/{i}", Action.PUSH_CHECKLIST)
    made = tasks.push(db.session, checklist, workers=workers, by=caller(), on_date=body.on_date,
                      weekdays=body.weekdays, every_shift=body.every_shift,
                      today=schedule.oslo(datetime.now(UTC)).date(), on_clash=body.on_clash)
    version = checklist.versions[-1].number
    return s.AssignmentList(items=[s.AssignmentOut.of(a, checklist.id, version) for a in made])


@api.operation("GET", "/workers/<int:worker_id>/runs", summary="A worker's checklist runs and progress",
               tag="Checklists", scope=Scope.CHECKLISTS_READ, query=s.PageQuery, response=s.RunPage)
def list_runs(worker_id: int, query: s.PageQuery):
    """Each time through a checklist, newest day first, with the steps done."""
    worker = _worker(worker_id, Action.SEE_TASKS)
    page = tasks.runs_page(db.session, worker, decode_cursor(query.cursor, _DATE_ID_CURSOR), query.limit)
    return s.RunPage(**_page(page, lambda r: s.RunOut(
        id=r.run.id, assignment_id=r.run.assignment_id, checklist_id=r.checklist_id,
        checklist_title=r.checklist_title, version=r.version, day=r.run.day,
        started_at=schedule.oslo(r.run.started_at),
        finished_at=schedule.oslo(r.run.finished_at) if r.run.finished_at else None,
        steps_done=r.steps_done, steps_total=r.steps_total)))


# Events -----------------------------------------------------------------------------------------


@api.operation("GET", "/events", summary="Coming events", tag="Events", scope=Scope.EVENTS_READ,
               query=s.PageQuery, response=s.EventPage)
def list_events(query: s.PageQuery):
    """Events not yet over, soonest first, with how many are going and waiting."""
    _ensure(Action.SEE_EVENTS)
    page = events.coming_page(db.session, datetime.now(UTC), decode_cursor(query.cursor, _TIME_ID_CURSOR),
                              query.limit)
    return s.EventPage(**_page(page, lambda row: s.EventOut(
        id=row.event.id, title=row.event.title, starts_at=schedule.oslo(row.event.starts_at),
        ends_at=schedule.oslo(row.event.ends_at), place=row.event.place, capacity=row.event.capacity,
        signup_deadline=schedule.oslo(row.event.signup_deadline) if row.event.signup_deadline else None,
        invite_only=row.event.invite_only, cancelled=row.event.cancelled_at is not None,
        going=row.going, waiting=row.waiting)))


@api.operation("GET", "/events/<int:event_id>/signups", summary="Who is signed up to an event (organizers)",
               tag="Events", scope=Scope.EVENTS_READ, response=s.SignupList)
def list_signups(event_id: int):
    """Going, then waiting in queue order, then cancelled. Guests' phone numbers are not given."""
    _ensure(Action.MANAGE_EVENTS)
    try:
        event = events.get_event(db.session, event_id)
    except NotFound:
        raise ApiProblem(404, "No event with this id.") from None
    _ensure(Action.MANAGE_EVENT, event)  # another organizer's event: a 403, as in the app
    found = events.attendees(db.session, event)
    _log_read(row.worker for row in (*found.going, *found.waiting, *found.cancelled))
    return s.SignupList(items=[
        s.SignupOut(id=row.id, state=row.state, name=row.worker.name if row.worker else row.guest_name or "",
                    guest=row.worker_id is None, worker_id=row.worker_id, queued_at=schedule.oslo(row.queued_at))
        for row in (*found.going, *found.waiting, *found.cancelled)])


# Lessons and help ---------------------------------------------------------------------------------


@api.operation("GET", "/workers/<int:worker_id>/lessons", summary="A worker's progress in the lessons",
               tag="Lessons", scope=Scope.LESSONS_READ, response=s.LessonProgressList)
def list_lessons(worker_id: int):
    """Every lesson, in course order, with the worker's state in it."""
    worker = _worker(worker_id, Action.FOLLOW_LESSONS)
    lessons = current_app.extensions["lessons"]
    progress = learn.progress_of(db.session, worker, lessons)
    items = []
    for lesson in lessons.values():
        row = progress.get(lesson.slug)
        items.append(s.LessonProgressOut(
            lesson=lesson.slug, title=lesson.texts["nb"].title, state=learn.state_of(progress, lesson),
            recommended=bool(row and row.recommended_at),
            started_at=schedule.oslo(row.started_at) if row and row.started_at else None,
            done_at=schedule.oslo(row.done_at) if row and row.done_at else None))
    return s.LessonProgressList(items=items)


@api.operation("GET", "/help-requests", summary="Help requests from the caller's workers", tag="Help",
               scope=Scope.HELP_READ, query=s.HelpQuery, response=s.HelpRequestPage)
def list_help(query: s.HelpQuery):
    """Open (or handled) help requests, newest first."""
    page = help_service.requests_page(db.session, managed_worker_ids(caller()), query.handled,
                                      decode_cursor(query.cursor, _TIME_ID_CURSOR), query.limit)
    _log_read([row.worker for row in page.items])
    return s.HelpRequestPage(**_page(page, s.HelpRequestOut.of))


@api.operation("POST", "/help-requests/<int:request_id>/handled", summary="Mark a help request as handled",
               tag="Help", scope=Scope.HELP_WRITE, response=s.HelpRequestOut)
def handle_help(request_id: int):
    """Mark it handled (again is harmless): the worker sees it on their receipt page."""
    try:
        row = help_service.get(db.session, request_id)
    except NotFound:
        raise ApiProblem(404, "No help request with this id.") from None
    _ensure(Action.HANDLE_HELP, row)
    return s.HelpRequestOut.of(help_service.mark_handled(db.session, row, caller()))


# The document, and errors ---------------------------------------------------------------------------


@bp.get("/openapi.json")
@limiter.exempt
def openapi():
    """The OpenAPI 3.1 document, made from the same declarations that check each request."""
    return api.document()


@bp.get("/docs")
@limiter.exempt
def docs():
    """The same document as a readable page."""
    return render_template("api/docs.html", doc=api.document(), scopes=list(Scope))


@bp.errorhandler(ApiProblem)
def _problem(error: ApiProblem):
    # No rollback here: web.commit_request rolls back every error answer, the API's too.
    return problem_response(error.status, _TITLES.get(error.status, "Error"), error.detail, error.errors)


from . import followup  # noqa: E402,F401 - the follow-up operations join this blueprint and document
