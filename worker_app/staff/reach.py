"""The specialist's part of reaching a worker, on her worker page and "Mine arbeidstakere":
the worker's own phone number, suggested reminder settings, and the escalations ("Ola har ikke
trykket «Jeg har gått»", "Ola blir sen") with "Ring Ola", marked as seen."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Role, User
from ..policy import Action
from ..services import people, reach, reminders
from ..services.errors import Invalid
from ..web import SignIn, ensure, render, require, signs_in_with
from .reach_forms import PhoneForm, SuggestForm

bp = signs_in_with(Blueprint("reach", __name__), SignIn.PASSWORD)


@bp.app_template_global()
def phone_readable(phone: str) -> str:
    return reach.readable(phone)


@bp.app_template_global()
def phone_tel(phone: str) -> str:
    return reach.tel(phone)


def _kind_labels(person: User) -> dict[str, str]:
    from ..account.views import reminder_labels

    return reminder_labels(person)


def _suggest_form(person: User, form: SuggestForm | None = None) -> SuggestForm:
    """Ticked: the suggestion made before, else what the worker gets now."""
    labels = _kind_labels(person)
    if form is None:
        suggested = reminders.suggestions(person)
        form = SuggestForm(prefix="suggest", data={"on": [
            kind for kind in labels if suggested.get(kind, reminders.is_on(person, kind))]})
    form.on.choices = list(labels.items())
    return form


def page_context(person: User, forms: dict) -> dict:
    """What the partial staff/_reach.html needs on the worker page (one query: the alerts)."""
    return {
        "phone_form": forms.get("phone_form") or PhoneForm(
            prefix="phone", data={"phone": reach.readable(person.phone) if person.phone else ""}),
        "suggest_form": _suggest_form(person, forms.get("suggest_form")),
        "own_choice": set((person.reminders_chosen or "").split()),
        "kind_labels": _kind_labels(person),
        "alerts": reach.alerts_for(db.session, current_user, person.id).get(person.id, []),
    }


def _worker(worker_id: int, action: Action) -> User:
    person = people.get_user(db.session, worker_id, Role.WORKER)
    ensure(action, person)
    return person


def _worker_page_again(person: User, **forms):
    from .views import _worker_page

    return _worker_page(person, status=400, **forms)


@bp.route("/staff/workers/<int:worker_id>/phone", methods=["POST"])
@require(Action.SEE_CASELOAD)
def phone(worker_id):
    """The worker's own mobile number (empty removes it)."""
    person = _worker(worker_id, Action.CALL_WORKER)
    form = PhoneForm(prefix="phone")
    if form.validate_on_submit():
        try:
            reach.set_phone(db.session, person, form.phone.data, by=current_user)
        except Invalid as problem:
            db.session.rollback()
            form.phone.errors = [problem.message]
        else:
            flash(_("Mobil-nummeret er lagret.") if person.phone else _("Mobil-nummeret er fjernet."))
            return redirect(url_for("staff.worker", worker_id=person.id) + "#reach")
    return _worker_page_again(person, phone_form=form)


@bp.route("/staff/workers/<int:worker_id>/reminder-suggestions", methods=["POST"])
@require(Action.SEE_CASELOAD)
def suggest(worker_id):
    """Suggest which reminders are on; the worker's own choices stay."""
    person = _worker(worker_id, Action.MANAGE_SHIFTS)
    form = _suggest_form(person, SuggestForm(prefix="suggest"))
    if form.validate_on_submit():
        reach.suggest(db.session, person, {kind: kind in (form.on.data or []) for kind, _label in form.on.choices},
                      by=current_user)
        flash(_("Forslaget er lagret. Det gjelder varslene arbeidstakeren ikke har valgt selv."))
        return redirect(url_for("staff.worker", worker_id=person.id) + "#reach")
    return _worker_page_again(person, suggest_form=form)


@bp.route("/staff/workers/<int:worker_id>/alerts")
@login_required
def worker_alerts(worker_id):
    """The worker page's escalations alone, asked for every 20 seconds by the open page."""
    person = _worker(worker_id, Action.VIEW_WORKER)
    return render("staff/_alerts.html", worker=person, poll=True,
                  alerts=reach.alerts_for(db.session, current_user, person.id).get(person.id, []))


@bp.route("/staff/alerts/<int:notice_id>/seen", methods=["POST"])
@require(Action.SEE_CASELOAD)
def seen(notice_id):
    """The specialist has seen an escalation: it leaves her pages."""
    notice = reach.mark_seen(db.session, current_user, notice_id)
    if request.headers.get("HX-Request") == "true":
        return render("staff/_alert_seen.html", notice=notice)
    if request.form.get("back") == "worker":
        return redirect(url_for("staff.worker", worker_id=notice.worker_id))
    return redirect(url_for("staff.index"))
