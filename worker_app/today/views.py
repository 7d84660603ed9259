from flask import Blueprint, redirect
from flask_login import current_user

from ..policy import Action, can
from ..web import home_url, render

bp = Blueprint("today", __name__)


@bp.route("/")
def index():
    """I dag: the worker's day at a glance. Everyone else goes to their own start page."""
    if not current_user.is_authenticated:
        return render("auth/signed_out.html", status=401)
    if not can(current_user, Action.USE_WORKER_APP):
        return redirect(home_url(current_user))
    return render("today/index.html")
