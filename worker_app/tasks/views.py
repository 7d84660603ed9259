"""Oppgaver: the worker's checklists, done one step per screen (or as a list).

Support fades: a mastered step is not shown (it is summed up as "Dette kan du"), a short one
shows only its words and a small picture.
"""

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import MASTERED
from ..models.types import utcnow
from ..policy import Action
from ..services import schedule, tasks
from ..web import SignIn, render, require, signs_in_with

bp = signs_in_with(Blueprint("tasks", __name__), SignIn.LINK)


def _today():
    return schedule.oslo(utcnow()).date()


@bp.route("/tasks")
@require(Action.USE_WORKER_APP)
def index():
    """Oppgaver: today's checklists, each with how far you have come."""
    return render("tasks/index.html", items=tasks.for_day(db.session, current_user, _today()))


@bp.route("/tasks/checklist/<int:checklist_id>")
@require(Action.USE_WORKER_APP)
def open_checklist(checklist_id):
    """Where the QR code at the workstation leads: this checklist, if it is yours today."""
    assignment_id = tasks.todays_assignment_id(db.session, current_user, checklist_id, _today())
    if assignment_id is None:
        return render("tasks/not_today.html", status=404)
    return redirect(url_for("tasks.show", assignment_id=assignment_id))


def _run(assignment_id: int, *, start: bool = False, with_leader: bool = False):
    """The assignment, today's run, the worker's support levels and the steps to show, and (if
    asked) the leader to call when on shift. Pages only read (no run until a step is done: run
    is None); a change (start=True) opens the run under the assignment's lock."""
    assignment, leader = tasks.assignment_and_leader(
        db.session, current_user, assignment_id, utcnow() if with_leader else None)
    if start:
        run = tasks.open_run(db.session, assignment, _today())
    else:
        run = tasks.todays_run(db.session, assignment, _today())
    steps = assignment.version.steps
    levels = tasks.levels_for(db.session, current_user, [s.key for s in steps])
    return assignment, run, levels, tasks.shown_steps(steps, levels), leader


def _mastered(assignment, levels):
    return [s for s in assignment.version.steps if levels.get(s.key) == MASTERED]


@bp.route("/tasks/<int:assignment_id>")
@require(Action.USE_WORKER_APP)
def show(assignment_id):
    """A checklist: the next step not done yet, or every step as a list (a setting)."""
    assignment, run, levels, shown, _leader = _run(assignment_id)
    done = tasks.done_steps(db.session, run)
    if current_user.checklist_mode == "list":
        return render("tasks/list.html", assignment=assignment, run=run, steps=shown, done=done,
                      levels=levels, mastered=_mastered(assignment, levels))
    if (run and run.finished_at) or not shown:
        return redirect(url_for("tasks.finished", assignment_id=assignment.id))
    first_open = next((s for s in shown if s.id not in done), shown[0])
    return redirect(url_for("tasks.step", assignment_id=assignment.id, position=first_open.position))


@bp.route("/tasks/<int:assignment_id>/step/<int:position>")
@require(Action.USE_WORKER_APP)
def step(assignment_id, position):
    """One step: the picture big, the words, where you are, and a big Ferdig."""
    assignment, run, levels, shown, leader = _run(assignment_id, with_leader=True)
    index = next((i for i, s in enumerate(shown) if s.position == position), None)
    if index is None:
        abort(404)
    return render("tasks/step.html", assignment=assignment, run=run, steps=shown, index=index,
                  position=position,
                  step=shown[index], level=levels.get(shown[index].key, "full"),
                  done=tasks.done_steps(db.session, run),
                  mastered=_mastered(assignment, levels) if index == 0 else [],
                  leader=leader)


@bp.route("/tasks/<int:assignment_id>/step/<int:position>/<any(done, undo, help, claim):what>",
          methods=["POST"])
@require(Action.USE_WORKER_APP)
def change(assignment_id, position, what):
    """Ferdig (the next step comes), Angre, Jeg trenger hjelp, or Jeg kan dette nå."""
    assignment, run, _levels, shown, _leader = _run(assignment_id, start=True)
    index = next((i for i, s in enumerate(shown) if s.position == position), None)
    if index is None:
        abort(404)
    current = shown[index]
    here = url_for("tasks.step", assignment_id=assignment.id, position=position)
    if what == "help":
        sent = tasks.ask_help_on_step(db.session, current_user, current, assignment)
        # The receipt leads back to this step (it keeps the assignment): no dead end after asking.
        return redirect(url_for("help.sent", request_id=sent.id))
    if what == "claim":
        tasks.claim(db.session, current_user, current)
        flash(_("Jobb-spesialisten får beskjed om at du kan dette nå."))
        return redirect(here)
    if what == "undo":
        tasks.undo(db.session, run, current)
        return redirect(here)
    tasks.tick(db.session, run, current, current_user)
    if current_user.checklist_mode == "list":
        return redirect(url_for("tasks.show", assignment_id=assignment.id) + f"#step-{position}")
    if run.finished_at:
        return redirect(url_for("tasks.finished", assignment_id=assignment.id))
    following = shown[min(index + 1, len(shown) - 1)]
    return redirect(url_for("tasks.step", assignment_id=assignment.id, position=following.position))


@bp.route("/tasks/<int:assignment_id>/finished")
@require(Action.USE_WORKER_APP)
def finished(assignment_id):
    """Du er ferdig. Bra jobbet. And what comes next."""
    assignment, run, levels, shown, _leader = _run(assignment_id)
    if shown and not (run and run.finished_at):
        return redirect(url_for("tasks.show", assignment_id=assignment.id))
    others = [t for t in tasks.for_day(db.session, current_user, _today())
              if t.assignment.id != assignment.id and not (t.run and t.run.finished_at)]
    return render("tasks/finished.html", assignment=assignment, mastered=_mastered(assignment, levels),
                  next_task=others[0] if others else None)
