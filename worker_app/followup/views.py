"""Staff pages of the job specialist's year: the region's workplaces, a new worker, and the
follow-up record on the worker page (meetings, support plan, trial period)."""

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..formtools import options
from ..models import MeetingPlace, User
from ..models.types import utcnow
from ..policy import Action
from ..services import followup, people, photos, workplaces
from ..services.errors import Invalid
from ..web import SignIn, ensure, render, require, signs_in_with
from .forms import (
    MeetingForm,
    NewWorkerForm,
    OutcomeForm,
    PlanForm,
    TrialForm,
    WorkerWorkplaceForm,
    WorkplaceForm,
)
from .page import outcome_labels, place_labels, with_whom_labels, workplace_choices, workplace_pictogram_choices

bp = signs_in_with(Blueprint("followup", __name__), SignIn.PASSWORD)

def _apply(form, problem: Invalid) -> None:
    field = getattr(form, problem.field or "", None) or next(iter(form))
    field.errors = [problem.message]


# Workplaces ----------------------------------------------------------------------------------


@bp.route("/staff/workplaces")
@require(Action.MANAGE_WORKPLACES)
def workplaces_index():
    """Arbeidsplasser: the workplaces of the specialist's region."""
    return render("followup/workplaces.html", workplaces=workplaces.visible(db.session, current_user))


@bp.route("/staff/workplaces/new", methods=["GET", "POST"])
@bp.route("/staff/workplaces/<int:workplace_id>", methods=["GET", "POST"])
@require(Action.MANAGE_WORKPLACES)
def edit_workplace(workplace_id=None):
    """Make or change a workplace: leader, fadder, photo or pictogram, the tasks there."""
    workplace = workplaces.get(db.session, current_user, workplace_id) if workplace_id else None
    form = WorkplaceForm(data=_workplace_data(workplace) if workplace else None)
    form.pictogram.choices = workplace_pictogram_choices()
    status = 200
    if form.validate_on_submit():
        data = workplaces.WorkplaceInput(
            name=form.name.data, address=form.address.data or "", pictogram=form.pictogram.data,
            remove_photo=form.remove_photo.data, leader_name=form.leader_name.data or "",
            leader_phone=form.leader_phone.data or "", leader_email=form.leader_email.data or "",
            mentor_name=form.mentor_name.data or "", mentor_phone=form.mentor_phone.data or "",
            notes=form.notes.data or "")
        try:
            upload = form.photo.data
            if upload and getattr(upload, "filename", ""):
                data.photo = photos.accept(upload.stream, photos.FolderStore(current_app.config["PHOTO_DIR"]))
            saved = workplaces.save(db.session, current_user, data, workplace)
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
            status = 400
        else:
            flash(_("Arbeidsplassen er lagret."))
            twins = workplaces.same_name(db.session, current_user, saved.name, ignore_id=saved.id)
            if twins:
                flash(_("Obs: Regionen har %(n)s andre arbeidsplasser med navnet «%(name)s». "
                        "Sjekk at det ikke er den samme.", n=len(twins), name=saved.name))
            return redirect(url_for("followup.workplaces_index"))
    elif form.errors:
        status = 400
    return render("followup/edit_workplace.html", form=form, workplace=workplace, status=status,
                  workers=workplaces.workers_at(db.session, current_user, workplace) if workplace else [])


def _workplace_data(workplace) -> dict:
    return {"name": workplace.name, "address": workplace.address, "pictogram": workplace.pictogram,
            "leader_name": workplace.contact_name, "leader_phone": workplace.contact_phone,
            "leader_email": workplace.contact_email, "mentor_name": workplace.mentor_name,
            "mentor_phone": workplace.mentor_phone, "notes": workplace.notes}


# A new worker --------------------------------------------------------------------------------


@bp.route("/staff/workers/new", methods=["GET", "POST"])
@require(Action.CREATE_WORKER)
def new_worker():
    """A new worker in the specialist's region, followed at once; then a sign-in link."""
    form = NewWorkerForm()
    workplace_choices(form.workplace, _("Ingen ennå"))
    status = 200
    if form.validate_on_submit():
        try:
            worker = workplaces.create_worker(db.session, current_user, name=form.name.data,
                                              workplace_id=form.workplace.data or None)
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
            status = 400
        else:
            flash(_("%(name)s er lagt til, og du følger %(name)s. Lag en lenke for å logge inn.",
                    name=worker.name))
            return redirect(url_for("staff.worker", worker_id=worker.id))
    elif form.errors:
        status = 400
    return render("followup/new_worker.html", form=form, status=status)


# The follow-up record on the worker page -------------------------------------------------------


# Where each worker-page form lives: its partial and the section it is in.
_FORMS = {"workplace_form": ("followup/_workplace_form.html", "workplace"),
          "plan_form": ("followup/_plan_form.html", "follow-up"),
          "meeting_form": ("followup/_meeting_form.html", "follow-up"),
          "trial_form": ("followup/_trial_form.html", "trial"),
          "outcome_form": ("followup/_outcome_form.html", "trial")}


def _save(person: User, form_key: str, form, save):
    """Run `save(form)` for a valid form, then back to the worker page's section. A broken rule
    is named beside its field on a page of that one form, with what was typed (the worker page
    belongs to the staff blueprint)."""
    template, anchor = _FORMS[form_key]
    if form.validate_on_submit():
        try:
            message = save(form)
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
        else:
            flash(message)
            return redirect(url_for("staff.worker", worker_id=person.id) + "#" + anchor)
    return render("followup/fix.html", person=person, form_template=template, anchor=anchor,
                  status=400, **{form_key: form})


def _worker(worker_id: int, action: Action = Action.RECORD_FOLLOW_UP) -> User:
    person = people.get_user(db.session, worker_id, "worker")
    ensure(action, person)
    return person


@bp.route("/staff/workers/<int:worker_id>/workplace", methods=["POST"])
@login_required
def set_workplace(worker_id):
    """The worker's workplace, from the region's list."""
    person = _worker(worker_id)
    form = WorkerWorkplaceForm(prefix="wp")
    workplace_choices(form.workplace, _("Ingen"))

    def save(form):
        workplaces.set_workplace(db.session, current_user, person, form.workplace.data or None)
        return _("Arbeidsplassen er lagret.")

    return _save(person, "workplace_form", form, save)


@bp.route("/staff/workers/<int:worker_id>/meetings", methods=["POST"])
@login_required
def add_meeting(worker_id):
    """Record a meeting with the worker, the employer or both, and the next one."""
    person = _worker(worker_id)
    form = MeetingForm(prefix="meeting")
    form.with_whom.choices = options(with_whom_labels().items())
    form.next_place.choices = options(place_labels().items())
    if not form.next_place.data:
        form.next_place.data = MeetingPlace.WORK.value

    def save(form):
        followup.add_meeting(db.session, current_user, person, followup.MeetingInput(
            day=form.day.data, time=form.time.data, with_whom=form.with_whom.data,
            note=form.note.data or "", next_steps=form.next_steps.data or "",
            shared=form.shared.data, next_day=form.next_day.data or "",
            next_time=form.next_time.data or "", next_place=form.next_place.data), utcnow())
        return _("Møtet er lagret.")

    return _save(person, "meeting_form", form, save)


@bp.route("/staff/workers/<int:worker_id>/plan", methods=["POST"])
@login_required
def save_plan(worker_id):
    """The support plan: how often to visit now, and later."""
    person = _worker(worker_id)

    def save(form):
        followup.save_plan(db.session, current_user, person, visits_now=form.visits_now.data or "",
                           visits_next=form.visits_next.data or "", next_from=form.next_from.data or "")
        return _("Planen er lagret.")

    return _save(person, "plan_form", PlanForm(prefix="plan"), save)


@bp.route("/staff/workers/<int:worker_id>/trial", methods=["POST"])
@login_required
def save_trial(worker_id):
    """Start the trial period (arbeidspraksis), or change the open one."""
    person = _worker(worker_id)

    def save(form):
        followup.save_trial(db.session, current_user, person, starts_on=form.starts_on.data,
                            weeks=form.weeks.data or "", evaluation_day=form.evaluation_day.data or "",
                            evaluation_time=form.evaluation_time.data or "")
        return _("Praksis-perioden er lagret.")

    return _save(person, "trial_form", TrialForm(prefix="trial"), save)


@bp.route("/staff/workers/<int:worker_id>/trial/outcome", methods=["POST"])
@login_required
def decide_trial(worker_id):
    """How the trial ended: fast ansatt, lengre praksis or avsluttet, with the date."""
    person = _worker(worker_id)
    form = OutcomeForm(prefix="outcome")
    form.outcome.choices = options(outcome_labels().items())

    def save(form):
        followup.decide_trial(db.session, current_user, person, outcome=form.outcome.data, on=form.on.data)
        return _("Utfallet av praksisen er lagret.")

    return _save(person, "outcome_form", form, save)
