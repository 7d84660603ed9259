"""Oppgaver: the worker's checklists, done one step per screen (or as a list)."""

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from ..extensions import db
from ..models.types import utcnow
from ..policy import Action
from ..services import schedule, tasks
from ..services.errors import NotFound
from ..web import render, require

bp = Blueprint("tasks", __name__)


def _today():
    return schedule.oslo(utcnow()).date()


@bp.route("/tasks")
@require(Action.USE_WORKER_APP)
def index():
    """Oppgaver: today's checklists, each with how far you have come."""
    return render("tasks/index.html", items=tasks.for_day(db.session, current_user, _today()))


def _run(assignment_id: int):
    try:
        assignment = tasks.assignment_of(db.session, current_user, assignment_id)
    except NotFound:
        abort(404)
    return assignment, tasks.open_run(db.session, assignment, _today())


@bp.route("/tasks/checklist/<int:checklist_id>")
@require(Action.USE_WORKER_APP)
def open_checklist(checklist_id):
    """Where the QR code at the workstation leads: this checklist, if it is yours today."""
    assignment = tasks.todays_assignment_for(db.session, current_user, checklist_id, _today())
    if assignment is None:
        return render("tasks/not_today.html", status=404)
    return redirect(url_for("tasks.show", assignment_id=assignment.id))


@bp.route("/tasks/<int:assignment_id>")
@require(Action.USE_WORKER_APP)
def show(assignment_id):
    """A checklist: the next step not done yet, or every step as a list (a setting)."""
    assignment, run = _run(assignment_id)
    done = tasks.done_steps(db.session, run)
    steps = assignment.version.steps
    if current_user.checklist_mode == "list":
        return render("tasks/list.html", assignment=assignment, run=run, steps=steps, done=done)
    if run.finished_at:
        return redirect(url_for("tasks.finished", assignment_id=assignment.id))
    first_open = next((s.position for s in steps if s.id not in done), 1)
    return redirect(url_for("tasks.step", assignment_id=assignment.id, position=first_open))


@bp.route("/tasks/<int:assignment_id>/step/<int:position>")
@require(Action.USE_WORKER_APP)
def step(assignment_id, position):
    """One step: the picture big, the words, where you are, and a big Ferdig."""
    assignment, run = _run(assignment_id)
    steps = assignment.version.steps
    if not 1 <= position <= len(steps):
        abort(404)
    done = tasks.done_steps(db.session, run)
    return render("tasks/step.html", assignment=assignment, run=run, steps=steps,
                  step=steps[position - 1], position=position, done=done)


@bp.route("/tasks/<int:assignment_id>/step/<int:position>/<any(done, undo, help):what>",
          methods=["POST"])
@require(Action.USE_WORKER_APP)
def change(assignment_id, position, what):
    """Ferdig (the next step comes), Angre (not done after all), or Jeg trenger hjelp."""
    assignment, run = _run(assignment_id)
    steps = assignment.version.steps
    if not 1 <= position <= len(steps):
        abort(404)
    current = steps[position - 1]
    if what == "help":
        sent = tasks.ask_help_on_step(db.session, current_user, current)
        return redirect(url_for("help.sent", request_id=sent.id))
    if what == "undo":
        tasks.undo(db.session, run, current)
        return redirect(url_for("tasks.step", assignment_id=assignment.id, position=position))
    tasks.tick(db.session, run, current, current_user)
    if current_user.checklist_mode == "list":
        return redirect(url_for("tasks.show", assignment_id=assignment.id) + f"#step-{position}")
    if run.finished_at:
        return redirect(url_for("tasks.finished", assignment_id=assignment.id))
    return redirect(url_for("tasks.step", assignment_id=assignment.id,
                            position=min(position + 1, len(steps))))


@bp.route("/tasks/<int:assignment_id>/finished")
@require(Action.USE_WORKER_APP)
def finished(assignment_id):
    """Du er ferdig. Bra jobbet. And what comes next."""
    assignment, run = _run(assignment_id)
    if not run.finished_at:
        return redirect(url_for("tasks.show", assignment_id=assignment.id))
    others = [t for t in tasks.for_day(db.session, current_user, _today())
              if t.assignment.id != assignment.id and not (t.run and t.run.finished_at)]
    return render("tasks/finished.html", assignment=assignment,
                  next_task=others[0] if others else None)
