"""The specialist's routes for reaching a worker, on the staff blueprint (endpoints staff.*):
the worker's own phone number, suggested reminder settings, and the escalations ("Ola har ikke
trykket «Jeg har gått»", "Ola blir sen") with "Ring Ola", marked as seen. Imported by
create_app before the blueprint is registered; the page's part is staff/reach_page.py."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Role, User
from ..policy import Action
from ..services import people, reach
from ..services.errors import Invalid
from ..web import ensure, render, require
from .reach_page import PhoneForm, SuggestForm, suggest_form
from .views import _worker_page, bp


def _worker(worker_id: int, action: Action) -> User:
    person = people.get_user(db.session, worker_id, Role.WORKER)
    ensure(action, person)
    return person


def _worker_page_again(person: User, **forms):
    return _worker_page(person, status=400, **forms)


@bp.route("/staff/workers/<int:worker_id>/phone", methods=["POST"])
@require(Action.SEE_CASELOAD)
def set_phone(worker_id):
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
def suggest_reminders(worker_id):
    """Suggest which reminders are on; the worker's own choices stay."""
    person = _worker(worker_id, Action.MANAGE_SHIFTS)
    form = suggest_form(person, SuggestForm(prefix="suggest"))
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
def alert_seen(notice_id):
    """The specialist has seen an escalation: it leaves her pages."""
    notice = reach.mark_seen(db.session, current_user, notice_id)
    if request.headers.get("HX-Request") == "true":
        return render("staff/_alert_seen.html", notice=notice)
    if request.form.get("back") == "worker":
        return redirect(url_for("staff.worker", worker_id=notice.worker_id))
    return redirect(url_for("staff.index"))
