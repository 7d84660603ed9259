from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..models.types import utcnow
from ..pages import change_signup, checkin_trend, day_context, permission_labels, weeks_context
from ..policy import Action, can
from ..services import audit, events, followup, people, reminders, schedule, tasks
from ..web import SignIn, ensure, render, require, signs_in_with

bp = signs_in_with(Blueprint("support", __name__), SignIn.LINK)


@bp.route("/support")
@require(Action.USE_SUPPORT_APP)
def index():
    """The support person's start page: whom they help, and what each worker lets them see."""
    links = people.workers_supported_by(db.session, current_user)
    may_see = {link.worker_id for link in links if link.see_shifts}
    # "Ola har ikke trykket «Jeg har gått»": only while the worker lets them be told.
    may_be_told = {link.worker_id for link in links if link.notify_not_left}
    notices = [n for n in schedule.unread_notices(db.session, current_user)
               if (n.worker_id in may_be_told if n.kind in ("not_left", "late") else n.worker_id in may_see)]
    return render("support/index.html", links=links, labels=permission_labels(for_worker=False),
                  notices=notices, workers={link.worker_id: link.worker for link in links},
                  meetings=_next_meetings(links))


def _next_meetings(links) -> dict:
    """Each worker's next meeting with the specialist, where the worker lets this person see it
    (can()); the workers whose meeting is shown are in the audit log."""
    workers = [link.worker for link in links if can(current_user, Action.SEE_NEXT_MEETING, link.worker)]
    meetings = followup.next_meetings(db.session, workers, utcnow())
    if meetings:
        audit.record_each(db.session, current_user, "followup.next_meeting.view",
                          [w for w in workers if w.id in meetings])
    return meetings


@bp.route("/support/workers/<int:worker_id>")
@require(Action.USE_SUPPORT_APP)
def today(worker_id):
    """The worker's I dag, read-only, when the worker lets this person see shifts."""
    worker = _worker(worker_id)
    now = utcnow()
    return render("support/today.html", **day_context(
        worker, now, *reminders.current_or_next_with_answer(db.session, worker, now)))


@bp.route("/support/workers/<int:worker_id>/how-are-you")
@require(Action.USE_SUPPORT_APP)
def checkins(worker_id):
    """The worker's answers to "Hvordan har du det på jobb?", when she lets this person see them."""
    worker = _worker(worker_id, Action.SEE_CHECKINS)
    return render("support/checkins.html", person=worker, **checkin_trend(worker))


@bp.route("/support/workers/<int:worker_id>/shifts")
@require(Action.USE_SUPPORT_APP)
def shifts(worker_id):
    """The worker's Vakter, read-only, with the same permission."""
    worker = _worker(worker_id)
    return render("support/shifts.html", **weeks_context(worker))


@bp.route("/support/workers/<int:worker_id>/events")
@require(Action.USE_SUPPORT_APP)
def events_page(worker_id):
    """Sign the worker up or off events, when the worker lets this person do it."""
    worker = _worker(worker_id, Action.SIGN_UP_EVENTS)
    return render("support/events.html", person=worker,
                  views=events.coming_for(db.session, worker, utcnow()),
                  post_to=lambda event_id, what: url_for(
                      "support.change_event", worker_id=worker.id, event_id=event_id, what=what))


@bp.route("/support/workers/<int:worker_id>/events/<int:event_id>/<any(join, leave):what>",
          methods=["POST"])
@require(Action.USE_SUPPORT_APP)
def change_event(worker_id, event_id, what):
    """Sign up or off on the worker's behalf; recorded as done by this person."""
    worker = _worker(worker_id, Action.SIGN_UP_EVENTS)
    return change_signup(worker, event_id, what,
                         url_for("support.events_page", worker_id=worker.id))


@bp.route("/support/workers/<int:worker_id>/tasks")
@require(Action.USE_SUPPORT_APP)
def tasks_page(worker_id):
    """Today's checklists of the worker and how far they have come; ticking when allowed."""
    worker = _worker(worker_id, Action.SEE_TASKS)
    items = tasks.for_day(db.session, worker, schedule.oslo(utcnow()).date())
    done = tasks.done_by_run(db.session, [i.run.id for i in items if i.run])
    return render("support/tasks.html", person=worker, items=items, done=done,
                  may_tick=can(current_user, Action.TICK_TASKS, worker))


@bp.route("/support/workers/<int:worker_id>/tasks/<int:assignment_id>/step/<int:position>",
          methods=["POST"])
@require(Action.USE_SUPPORT_APP)
def tick(worker_id, assignment_id, position):
    """Tick a step for the worker; it is recorded as done by the support person."""
    worker = _worker(worker_id, Action.TICK_TASKS)
    assignment = tasks.assignment_of(db.session, worker, assignment_id)
    steps = assignment.version.steps
    if not 1 <= position <= len(steps):
        abort(404)
    run = tasks.open_run(db.session, assignment, schedule.oslo(utcnow()).date())
    tasks.tick(db.session, run, steps[position - 1], current_user)
    return redirect(url_for("support.tasks_page", worker_id=worker.id) + f"#task-{assignment.id}")


def _worker(worker_id: int, action: Action = Action.SEE_SHIFTS):
    worker = people.get_user(db.session, worker_id, Role.WORKER)
    ensure(action, worker)
    return worker
