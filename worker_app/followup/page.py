"""The follow-up record's part of the staff worker page, and the words its forms show: shared by
the staff blueprint (the worker page, "Mine arbeidstakere") and the followup blueprint (its
forms), so neither imports the other's views."""

from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..formtools import options
from ..models import MeetingPlace, MeetingWith, TrialOutcome, User
from ..models.types import utcnow
from ..policy import Action, can
from ..services import followup, workplaces
from .forms import MeetingForm, OutcomeForm, PlanForm, TrialForm, WorkerWorkplaceForm

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


def workplace_choices(form_field, first_label: str) -> None:
    form_field.choices = options([(0, first_label)] + [
        (w.id, w.name + (f" ({w.address})" if w.address else ""))
        for w in workplaces.visible(db.session, current_user)])


def worker_page_context(person: User, forms: dict) -> dict:
    """What the worker page's workplace, follow-up and trial sections need; a form given in
    `forms` keeps what was typed. Nothing shown without can(): staff_record checks and logs."""
    if not can(current_user, Action.SEE_FOLLOW_UP, person):
        return {"follow_up": None}
    workplace_form = forms.get("workplace_form") or WorkerWorkplaceForm(
        prefix="wp", data={"workplace": person.workplace_id or 0})
    workplace_choices(workplace_form.workplace, _("Ingen"))
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
        "trial_form": forms.get("trial_form") or TrialForm(prefix="trial", data=trial_data(open_trial)),
        "outcome_form": outcome_form, "open_trial": open_trial,
        "trial_week": followup.trial_week,
        "with_whom_labels": with_whom_labels(), "place_labels": place_labels(),
        "outcome_labels": outcome_labels(),
    }


def trial_data(trial) -> dict | None:
    if trial is None:
        return None
    data = {"starts_on": trial.starts_on.isoformat(), "weeks": str(trial.weeks)}
    if trial.evaluation_at:
        local = followup.oslo(trial.evaluation_at)
        data.update(evaluation_day=local.date().isoformat(), evaluation_time=local.strftime("%H:%M"))
    return data


def caseload_trials(rows) -> dict:
    """The open trial of each worker on "Mine arbeidstakere": one query."""
    return followup.open_trials(db.session, [row.worker.id for row in rows])

