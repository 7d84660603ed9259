"""The specialist marks an early sign on "Mine arbeidstakere" as seen, with a note (endpoint
staff.sign_seen, on the staff blueprint). Imported by create_app before the blueprint is
registered; the signs themselves are services/early_signs.py."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..policy import Action
from ..services import early_signs, people
from ..services.errors import Invalid
from ..services.limits import SIGN_NOTE_MAX
from ..web import ensure, render, require
from .forms import SignSeenForm
from .views import bp, caseload_page, sign_form_for


@bp.route("/staff/workers/<int:worker_id>/signs/<kind>/seen", methods=["POST"])
@require(Action.SEE_CASELOAD)
def sign_seen(worker_id, kind):
    """Mark one early sign as seen; htmx swaps just that sign. A problem keeps the note."""
    if kind not in early_signs.KIND_LABELS:
        abort(404)
    person = people.get_user(db.session, worker_id, Role.WORKER)
    ensure(Action.SEE_EARLY_SIGNS, person)
    form = SignSeenForm(prefix=f"sign-{person.id}-{kind}")
    htmx = request.headers.get("HX-Request") == "true"
    if form.validate_on_submit():
        try:
            seen = early_signs.mark_seen(db.session, current_user, person, kind, form.note.data)
        except Invalid as problem:
            db.session.rollback()
            form.note.errors = [problem.message]
        else:
            if htmx:
                return render("staff/index.html", block="sign", worker=person, kind=kind, seen=True,
                              flag=None, sign_labels=early_signs.KIND_LABELS)
            flash(_("Merket som sett.") if seen else _("Dette er allerede merket som sett."))
            return redirect(url_for("staff.index") + "#caseload")
    if htmx:
        # 200: htmx swaps only a successful answer; the sign comes back with the problem named.
        flag = next((f for f in early_signs.flags_for(db.session, current_user, [person])[person.id]
                     if f.kind == kind), None)
        return render("staff/index.html", block="sign", worker=person, kind=kind, seen=flag is None,
                      flag=flag, sign_form=sign_form_for(form), sign_labels=early_signs.KIND_LABELS,
                      sign_pictograms=early_signs.PICTOGRAMS, sign_note_max=SIGN_NOTE_MAX)
    return caseload_page(people.caseload(db.session, current_user), status=400, sign_form=form)
