from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from ..extensions import db
from ..models import HelpReason
from ..pages import reason_labels
from ..policy import Action, can
from ..services import help as help_service
from ..services.errors import Invalid
from ..web import SignIn, render, require, signs_in_with

bp = signs_in_with(Blueprint("help", __name__), SignIn.LINK)


@bp.route("/help")
def index():
    """Hjelp: the safety number explained, open to everyone, signed in or not."""
    return render("help/index.html", nav_current="help")


@bp.route("/help/ask", methods=["GET", "POST"])
@require(Action.ASK_FOR_HELP)
def ask():
    """Jeg trenger hjelp: pick a reason by picture; it goes to the worker's specialist."""
    error = None
    if request.method == "POST":
        try:
            sent = help_service.ask(db.session, current_user, request.form.get("reason", ""))
        except Invalid as problem:
            error = problem.message
        else:
            return redirect(url_for("help.sent", request_id=sent.id))
    # "Ring meg" is asked from the check-in, not picked here.
    reasons = {key: label for key, label in reason_labels().items() if key != HelpReason.CALL_ME}
    return render("help/ask.html", reasons=reasons, error=error,
                  status=400 if error else 200)


@bp.route("/help/sent/<int:request_id>")
@require(Action.ASK_FOR_HELP)
def sent(request_id):
    """The worker sees that the message arrived, and whether it has been seen."""
    help_request = help_service.receipt(db.session, request_id)
    if help_request is None or not can(current_user, Action.SEE_HELP_RECEIPT, help_request):
        abort(404)  # another worker's request is not there, for this worker
    return render("help/sent.html", block="receipt", help_request=help_request,
                  label=reason_labels()[help_request.reason])
