"""One shift's own pages, on the staff blueprint (endpoints staff.*): move it, or cancel it
after asking. Imported by create_app before the blueprint is registered, as staff/reach.py."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Shift
from ..policy import Action
from ..services import audit, schedule
from ..services.errors import Invalid
from ..web import ensure, render
from .forms import ShiftForm
from .views import _apply, bp


@bp.route("/staff/shifts/<int:shift_id>/move", methods=["GET", "POST"])
@login_required
def move_shift(shift_id):
    """Move one shift; a shift from a repeating rule moves alone."""
    shift = _shift_or_404(shift_id)
    local_start, local_end = schedule.oslo(shift.starts_at), schedule.oslo(shift.ends_at)
    form = ShiftForm(prefix="shift", data={
        "day": local_start.date().isoformat(), "start": local_start.strftime("%H:%M"),
        "end": local_end.strftime("%H:%M"), "note": shift.note})
    status = 200
    if request.method == "GET":
        audit.record(db.session, current_user, "shift.view", shift.worker, shift.starts_at.isoformat())
    if form.validate_on_submit():
        try:
            schedule.move_shift(db.session, shift, by=current_user, day=form.day.data,
                                start=form.start.data, end=form.end.data, note=form.note.data or "")
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
        else:
            flash(_("Vakten er flyttet. Arbeidstakeren får beskjed."))
            return redirect(url_for("staff.worker", worker_id=shift.worker_id) + "#shifts")
    if form.errors:
        status = 400
    return render("staff/move_shift.html", shift=shift, form=form, status=status)


@bp.route("/staff/shifts/<int:shift_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_shift(shift_id):
    """Cancel one shift, after asking."""
    shift = _shift_or_404(shift_id)
    if request.method == "POST":
        schedule.cancel_shift(db.session, shift, by=current_user)
        flash(_("Vakten er avlyst. Arbeidstakeren får beskjed."))
        return redirect(url_for("staff.worker", worker_id=shift.worker_id) + "#shifts")
    audit.record(db.session, current_user, "shift.view", shift.worker, shift.starts_at.isoformat())
    return render("staff/cancel_shift.html", shift=shift)


def _shift_or_404(shift_id: int) -> Shift:
    shift = db.session.get(Shift, shift_id)
    if shift is None:
        abort(404)
    ensure(Action.MANAGE_SHIFTS, shift.worker)
    return shift
