"""Admin: users and roles, the safety number and its text, the audit log."""

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..formtools import options
from ..models import Region, Role
from ..policy import Action, forget_cached_relations
from ..services import audit, people, readability
from ..services import site as site_service
from ..services.errors import Invalid
from ..web import SignIn, render, require, signs_in_with
from .forms import AuditFilterForm, RegionOrganizerForm, SafetyForm, UserForm

bp = signs_in_with(Blueprint("admin", __name__, url_prefix="/admin"), SignIn.PASSWORD)


@bp.route("/users")
@require(Action.MANAGE_USERS)
def users():
    """Every user with their role."""
    return render("admin/users.html", users=people.all_users(db.session))


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def edit_user(user_id=None):
    """Create a user, or change a user's name, role, region and specialists."""
    user = None
    if user_id is not None:
        user = people.get_user(db.session, user_id)
        if request.method == "GET":
            audit.record(db.session, current_user, "user.view", user)
    form = UserForm(obj=user)
    form.region.choices = options([(0, _("Ingen"))] + [
        (r.id, r.name) for r in db.session.scalars(select(Region).order_by(Region.name))])
    form.specialists.choices = options((s.id, s.name) for s in people.specialists(db.session))
    if request.method == "GET" and user is not None:
        form.region.data = user.region_id or 0
        form.specialists.data = sorted(people.specialist_ids_of(db.session, user))
    status = 200
    if form.validate_on_submit():
        try:
            saved = people.save_user(
                db.session, actor=current_user, user=user, name=form.name.data,
                role=form.role.data, email=form.email.data or "", password=form.password.data or "",
                region_id=form.region.data or None, specialist_ids=form.specialists.data,
            )
        except Invalid as problem:
            db.session.rollback()
            getattr(form, problem.field or "name").errors = [problem.message]
            status = 400
        else:
            forget_cached_relations()
            flash(_("%(name)s er lagret.", name=saved.name))
            return redirect(url_for("admin.users"))
    elif form.errors:
        status = 400
    return render("admin/user.html", form=form, user=user, status=status, Role=Role,
                  region_form=RegionOrganizerForm(data={"region_organizer": user.region_organizer})
                  if user is not None and user.role == Role.ORGANIZER else None)


@bp.route("/users/<int:user_id>/region-organizer", methods=["POST"])
@require(Action.MANAGE_USERS)
def region_organizer(user_id):
    """Let an organizer see and manage every event of their region, or only their own again."""
    user = people.get_user(db.session, user_id, Role.ORGANIZER)
    form = RegionOrganizerForm()
    people.set_region_organizer(db.session, current_user, user, bool(form.region_organizer.data))
    flash(_("%(name)s er lagret.", name=user.name))
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/safety", methods=["GET", "POST"])
@require(Action.EDIT_SAFETY_NUMBER)
def safety():
    """The safety number and the words shown with it, per language."""
    default = current_app.config["SAFETY_NUMBER"]
    row = site_service.settings(db.session, default)
    form = SafetyForm(obj=row)
    status = 200
    if form.validate_on_submit():
        try:
            site_service.update_safety(
                db.session, default, by=current_user, number=form.safety_number.data,
                texts={loc: getattr(form, f"safety_text_{loc}").data or "" for loc in ("nb", "nn", "en")},
            )
        except Invalid as problem:
            getattr(form, problem.field).errors = [problem.message]
            status = 400
        else:
            flash(_("Trygghets-nummeret er lagret."))
            return redirect(url_for("admin.safety"))
    elif form.errors:
        status = 400
    checks = {loc: readability.check(getattr(form, f"safety_text_{loc}").data or "")
              for loc in ("nb", "nn")}
    return render("admin/safety.html", form=form, checks=checks, status=status)


@bp.route("/audit")
@require(Action.READ_AUDIT_LOG)
def audit_log():
    """Who read or changed whose data, and the security events, newest first; filtered by the
    person it concerns and by the person who did it."""
    form = AuditFilterForm(request.args, meta={"csrf": False})
    form.validate()
    wanted = audit.Filter(worker="" if form.worker.errors else form.worker.data or "",
                          person="" if form.person.errors else form.person.data or "")
    found = audit.page(db.session, wanted, after=audit.parse_after(request.args.get("after")))
    return render("admin/audit.html", form=form, entries=found.items, first_page="after" in request.args,
                  older=url_for("admin.audit_log", worker=wanted.worker or None, person=wanted.person or None,
                                after=audit.format_after(found.next_after)) if found.next_after else None,
                  status=400 if form.errors else 200)
