"""Staff pages: a specialist's workers, help requests, sign-in links and support links."""

import segno
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..account.views import permission_labels
from ..extensions import db
from ..formtools import options
from ..models import HelpRequest, Permission, Role, User
from ..policy import Action, forget_cached_relations
from ..services import audit, consent, people
from ..services import auth as auth_service
from ..services import help as help_service
from ..services.errors import Invalid, NotFound
from ..web import ensure, render, require
from .forms import ProposeSupportForm

bp = Blueprint("staff", __name__)


@bp.route("/staff")
@require(Action.SEE_CASELOAD)
def index():
    """Mine arbeidstakere: one row per worker, with open help requests."""
    rows = people.caseload(db.session, current_user)
    return render("staff/index.html", rows=rows, reasons=reason_names())


@bp.route("/staff/help/<int:request_id>/handled", methods=["POST"])
@login_required
def handle_help(request_id):
    """Mark a help request as handled; htmx swaps just that request."""
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None:
        abort(404)
    ensure(Action.HANDLE_HELP, help_request)
    help_service.mark_handled(db.session, help_request, current_user)
    if request.headers.get("HX-Request") == "true":
        return render("staff/index.html", block="help_request", req=help_request,
                      reasons=reason_names())
    return redirect(url_for("staff.index"))


@bp.route("/staff/workers/<int:worker_id>", methods=["GET"])
@login_required
def worker(worker_id):
    """One worker: help requests, support persons and what they may see, sign-in."""
    person = _worker_or_404(worker_id)
    ensure(Action.VIEW_WORKER, person)
    audit.record(db.session, current_user, "worker.view", person)
    db.session.commit()
    return _worker_page(person, ProposeSupportForm())


def _worker_page(person: User, form: ProposeSupportForm, status: int = 200):
    links = consent.links_of_worker(db.session, person)
    _fill_support_choices(form, person)
    return render(
        "staff/worker.html", person=person, links=links, form=form, status=status,
        help_requests=help_service.latest_of_worker(db.session, person, limit=10),
        reasons=reason_names(), labels=permission_labels(for_worker=False),
    )


def _fill_support_choices(form: ProposeSupportForm, person: User) -> None:
    known = people.support_persons_of(db.session, [person.id])
    form.supporter.choices = options([(0, _("Velg …"))] + [(u.id, u.name) for u in known])
    form.permissions.choices = options(
        (p.value, label) for p, label in permission_labels(for_worker=False).items())


@bp.route("/staff/workers/<int:worker_id>/support", methods=["POST"])
@login_required
def propose_support(worker_id):
    """Suggest a support person; nothing is shared until the worker says yes."""
    person = _worker_or_404(worker_id)
    ensure(Action.PROPOSE_SUPPORT, person)
    form = ProposeSupportForm()
    _fill_support_choices(form, person)
    if form.validate_on_submit():
        try:
            supporter = _chosen_supporter(form)
            consent.propose_support_link(
                db.session, worker=person, supporter=supporter, relation=form.relation.data or "",
                permissions=[Permission(p) for p in form.permissions.data],
                proposed_by=current_user,
            )
        except Invalid as problem:
            getattr(form, problem.field or "supporter").errors = [problem.message]
        else:
            forget_cached_relations()
            flash(_("Forslaget er sendt. %(name)s må si ja i appen.", name=person.first_name))
            return redirect(url_for("staff.worker", worker_id=person.id))
    return _worker_page(person, form, status=400)


def _chosen_supporter(form: ProposeSupportForm) -> User:
    if form.new_name.data and form.new_name.data.strip():
        return people.save_user(db.session, actor=current_user, user=None,
                                name=form.new_name.data, role=Role.SUPPORT)
    if form.supporter.data:
        try:
            return people.get_user(db.session, form.supporter.data, Role.SUPPORT)
        except NotFound:
            pass
    raise Invalid(_("Velg en støtteperson, eller skriv navnet på en ny."), field="supporter")


@bp.route("/staff/people/<int:user_id>/sign-in-link", methods=["POST"])
@login_required
def sign_in_link(user_id):
    """Make a single-use sign-in link, shown as a big QR code and as text to copy."""
    try:
        person = people.get_user(db.session, user_id)
    except NotFound:
        abort(404)
    ensure(Action.MAKE_SIGN_IN_LINK, person)
    lifetime = current_app.config["SIGN_IN_LINK_LIFETIME"]
    link, token = auth_service.make_sign_in_link(db.session, person, current_user, lifetime)
    audit.record(db.session, current_user, "signin_link.create",
                 person if person.role == Role.WORKER else None, person.name)
    db.session.commit()
    url = url_for("auth.signin", token=token, _external=True)
    qr = segno.make(url, error="m")
    # segno writes plain SVG paths with no inline style, so it passes the strict CSP.
    svg = Markup(qr.svg_inline(scale=8, dark="#000", light="#fff", omitsize=True))
    return render("staff/sign_in_link.html", person=person, url=url, qr_svg=svg, link=link)


@bp.route("/staff/people/<int:user_id>/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_person(user_id):
    """End every device of a worker or support person, e.g. when a phone is lost."""
    try:
        person = people.get_user(db.session, user_id)
    except NotFound:
        abort(404)
    ensure(Action.SIGN_OUT_EVERYWHERE, person)
    auth_service.sign_out_everywhere(db.session, person)
    flash(_("%(name)s er logget ut på alle telefoner.", name=person.name))
    return redirect(request.referrer or url_for("staff.index"))


@bp.route("/staff/organizer")
@login_required
def organizer():
    """The organizer's start page, until the events issue builds the event tools."""
    if current_user.role not in (Role.ORGANIZER, Role.ADMIN):
        abort(403)
    return render("staff/organizer.html")


@bp.route("/components")
def components():
    """Every component together, so that one axe run checks them all."""
    from ..auth.forms import LoginForm

    form = LoginForm(meta={"csrf": False})
    form.validate()
    return render("staff/components.html", form=form)


def _worker_or_404(worker_id: int) -> User:
    try:
        return people.get_user(db.session, worker_id, Role.WORKER)
    except NotFound:
        abort(404)


def reason_names() -> dict[str, str]:
    from ..help.views import reason_labels

    return reason_labels()
