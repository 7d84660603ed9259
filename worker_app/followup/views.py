"""Staff pages of the job specialist's year: the region's workplaces, a new worker, and the
follow-up record on the worker page (meetings, support plan, trial period)."""

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..formtools import options
from ..models import MeetingPlace, MeetingWith, TrialOutcome, User
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

bp = signs_in_with(Blueprint("followup", __name__), SignIn.PASSWORD)

# Pictograms a workplace can have (OpenMoji codes), by the kind of place.
WORKPLACE_PICTOGRAMS = ["1F3E2", "1F3E8", "1F3EA", "1F6D2", "2615", "1F373", "1F9F8", "1F3E5",
                        "1F3EB", "1F3ED", "1F9F9", "1F69C", "1F33B", "1F697"]


def workplace_pictogram_choices():
    names = [_("Kontor"), _("Hotell"), _("Butikk"), _("Dagligvare"), _("Kafé"), _("Kjøkken"),
             _("Barnehage"), _("Sykehjem"), _("Skole"), _("Fabrikk"), _("Vaktmester og renhold"),
             _("Gård"), _("Hage og park"), _("Bil og verksted")]
    return options(zip(WORKPLACE_PICTOGRAMS, names, strict=True))


def with_whom_labels() -> dict[str, str]:
    return {MeetingWith.WORKER: _("Arbeidstakeren"), MeetingWith.EMPLOYER: _("Arbeidsgiveren"),
            MeetingWith.BOTH: _("Begge")}


def place_labels() -> dict[str, str]:
    return {MeetingPlace.WORK: _("På jobben"), MeetingPlace.OFFICE: _("På kontoret"),
            MeetingPlace.PHONE: _("På telefon")}


def outcome_labels() -> dict[str, str]:
    return {TrialOutcome.PERMANENT: _("Fast ansatt"), TrialOutcome.LONGER: _("Lengre praksis"),
            TrialOutcome.ENDED: _("Avsluttet")}


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


def _workplace_choices(form_field, first_label: str) -> None:
    form_field.choices = options([(0, first_label)] + [
        (w.id, w.name + (f" ({w.address})" if w.address else ""))
        for w in workplaces.visible(db.session, current_user)])


@bp.route("/staff/workers/new", methods=["GET", "POST"])
@require(Action.CREATE_WORKER)
def new_worker():
    """A new worker in the specialist's region, followed at once; then a sign-in link."""
    form = NewWorkerForm()
    _workplace_choices(form.workplace, _("Ingen ennå"))
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


def worker_page_context(person: User, forms: dict) -> dict:
    """What the worker page's workplace, follow-up and trial sections need; a form given in
    `forms` keeps what was typed. Nothing shown without can(): staff_record checks and logs."""
    from ..policy import can

    if not can(current_user, Action.SEE_FOLLOW_UP, person):
        return {"follow_up": None}
    workplace_form = forms.get("workplace_form") or WorkerWorkplaceForm(
        prefix="wp", data={"workplace": person.workplace_id or 0})
    _workplace_choices(workplace_form.workplace, _("Ingen"))
    meeting_form = forms.get("meeting_form") or MeetingForm(prefix="meeting")
    meeting_form.with_whom.choices = options(with_whom_labels().items())
    meeting_form.next_place.choices = options(place_labels().items())
    record = followup.staff_record(db.session, current_user, person)
    plan = record["plan"]
    trial = record["trial"]
    open_trial = trial if trial and not trial.outcome else None
    outcome_form = forms.get("outcome_form") or OutcomeForm(prefix="outcome")
    outcome_form.outcome.choices = options(outcome_labels().items())
    return {
        "follow_up": record, "now": utcnow(),
        "next_meeting": followup.next_meeting(record["meetings"], utcnow()),
        "workplace_form": workplace_form, "meeting_form": meeting_form,
        "plan_form": forms.get("plan_form") or PlanForm(prefix="plan", data={
            "visits_now": plan.visits_now, "visits_next": plan.visits_next,
            "next_from": plan.next_from} if plan else None),
        "trial_form": forms.get("trial_form") or TrialForm(prefix="trial", data=_trial_data(open_trial)),
        "outcome_form": outcome_form, "open_trial": open_trial,
        "trial_week": followup.trial_week,
        "with_whom_labels": with_whom_labels(), "place_labels": place_labels(),
        "outcome_labels": outcome_labels(),
    }


def _trial_data(trial) -> dict | None:
    if trial is None:
        return None
    data = {"starts_on": trial.starts_on.isoformat(), "weeks": str(trial.weeks)}
    if trial.evaluation_at:
        local = followup.oslo(trial.evaluation_at)
        data.update(evaluation_day=local.date().isoformat(), evaluation_time=local.strftime("%H:%M"))
    return data


def _save(person: User, form_key: str, form, save, anchor: str):
    """Run `save(form)` for a valid form; a broken rule is named beside its field and the worker
    page comes back with what was typed."""
    from ..staff.views import _worker_page

    if form.validate_on_submit():
        try:
            message = save(form)
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
        else:
            flash(message)
            return redirect(url_for("staff.worker", worker_id=person.id) + anchor)
    return _worker_page(person, status=400, **{form_key: form})


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
    _workplace_choices(form.workplace, _("Ingen"))

    def save(form):
        workplaces.set_workplace(db.session, current_user, person, form.workplace.data or None)
        return _("Arbeidsplassen er lagret.")

    return _save(person, "workplace_form", form, save, "#workplace")


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

    return _save(person, "meeting_form", form, save, "#follow-up")


@bp.route("/staff/workers/<int:worker_id>/plan", methods=["POST"])
@login_required
def save_plan(worker_id):
    """The support plan: how often to visit now, and later."""
    person = _worker(worker_id)

    def save(form):
        followup.save_plan(db.session, current_user, person, visits_now=form.visits_now.data or "",
                           visits_next=form.visits_next.data or "", next_from=form.next_from.data or "")
        return _("Planen er lagret.")

    return _save(person, "plan_form", PlanForm(prefix="plan"), save, "#follow-up")


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

    return _save(person, "trial_form", TrialForm(prefix="trial"), save, "#trial")


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

    return _save(person, "outcome_form", form, save, "#trial")


def caseload_trials(rows) -> dict:
    """The open trial of each worker on "Mine arbeidstakere": one query."""
    return followup.open_trials(db.session, [row.worker.id for row in rows])

