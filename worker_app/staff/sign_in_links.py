"""Ending a person's open sign-in link before it is used (the worker page lists them)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Role
from ..policy import Action, can
from ..services import people
from ..services import sign_in_links as links
from ..services.errors import NotFound
from ..services.parsing import small_int
from ..web import SignIn, ensure, signs_in_with

bp = signs_in_with(Blueprint("sign_in_links", __name__, url_prefix="/staff/sign-in-links"), SignIn.PASSWORD)


@bp.route("/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke(link_id: int):
    """End one open sign-in link; it then answers as a used link. Asked first on the page."""
    link = links.get(db.session, link_id)
    ensure(Action.MAKE_SIGN_IN_LINK, link.user)
    if links.revoke(db.session, link, current_user):
        flash(_("Lenken for %(name)s er slått av. Den virker ikke lenger.", name=link.user.name))
    else:
        flash(_("Lenken var allerede brukt eller slått av."))
    return redirect(_back(link.user))


def _back(person) -> str:
    """To the worker page the link was listed on (the form names it), else the staff home."""
    if person.role == Role.WORKER:
        return url_for("staff.worker", worker_id=person.id) + "#sign-in"
    worker_id = small_int(request.values.get("worker", ""))
    if worker_id is not None:
        try:
            worker = people.get_user(db.session, worker_id, Role.WORKER)
        except NotFound:
            worker = None
        if worker is not None and can(current_user, Action.VIEW_WORKER, worker):
            return url_for("staff.worker", worker_id=worker.id) + "#support"
    return url_for("admin.users") if current_user.role == Role.ADMIN else url_for("staff.index")
