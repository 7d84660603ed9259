"""Reminders in the browser: this device's push subscription, "Jeg har gått", "Jeg blir sen",
and turning each kind of reminder on or off."""

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import csrf, db
from ..models import User
from ..policy import Action
from ..services import reminders
from ..services.errors import Invalid, NotFound
from ..web import SignIn, require, signs_in_with

bp = signs_in_with(Blueprint("reminders", __name__), SignIn.LINK)


@bp.route("/push/subscribe", methods=["POST"])
@login_required
def subscribe():
    """Save this device's push subscription (sent by static/js/push.js with the CSRF header)."""
    try:
        row = reminders.subscribe(db.session, current_user, request.get_json(silent=True) or {},
                                  session.get("device_id"))
    except Invalid as problem:
        return jsonify(error=str(problem.message)), 400
    # Signing out on this browser removes it (staff have no remembered device).
    session["push_ids"] = sorted({*session.get("push_ids", []), row.id})
    return jsonify(ok=True), 201


@bp.route("/push/unsubscribe", methods=["POST"])
@login_required
def unsubscribe():
    """Forget this device's push subscription."""
    reminders.unsubscribe(db.session, current_user, (request.get_json(silent=True) or {}).get("endpoint", ""))
    return jsonify(ok=True)


@bp.route("/reminders/<int:shift_id>/left", methods=["POST"])
@require(Action.USE_WORKER_APP)
def left(shift_id):
    """Jeg har gått, from I dag."""
    reminders.mark_left(db.session, current_user, shift_id)
    return redirect(url_for("today.index"))


@bp.route("/reminders/<int:shift_id>/late", methods=["POST"])
@require(Action.USE_WORKER_APP)
def late(shift_id):
    """Jeg blir sen: the chosen helpers are told; I dag shows the leader's number."""
    reminders.mark_late(db.session, current_user, shift_id)
    return redirect(url_for("today.index"))


@bp.route("/reminders/left", methods=["POST"])
@csrf.exempt
def left_from_notification():
    """Jeg har gått, from the notification's button. The service worker sends the signed token
    the notification carried (it can't read a page's CSRF token); the token names the worker
    and the shift, so it acts for no one else."""
    token = request.form.get("token") or (request.get_json(silent=True) or {}).get("token", "")
    # A bad token, an unknown shift or a person no longer active: NotFound, a 404 app-wide.
    worker_id, shift_id = reminders.read_left_token(current_app.config["SECRET_KEY"], str(token))
    worker = db.session.get(User, worker_id)
    if worker is None or not worker.active:
        raise NotFound()
    reminders.mark_left(db.session, worker, shift_id, via="push")
    return "", 204


@bp.route("/settings/reminders/<kind>", methods=["POST"])
@login_required
def toggle(kind):
    """One tap turns one kind of reminder on or off."""
    if kind not in (*reminders.kinds_for(current_user), "calendar_alarms"):
        abort(404)
    on = request.form.get("on") == "1"
    reminders.set_kind(db.session, current_user, kind, on)
    flash(_("Lagret."))
    return redirect(url_for("account.settings") + "#reminders")
