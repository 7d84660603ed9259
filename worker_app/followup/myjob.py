"""Jobben min: the worker's own workplace, leader and fadder, trial period, next meeting and the
notes of meetings shared with them ("Nothing about me without me")."""

from flask import Blueprint
from flask_login import current_user

from ..extensions import db
from ..models.types import utcnow
from ..policy import Action
from ..services import followup
from ..web import SignIn, ensure, render, require, signs_in_with

bp = signs_in_with(Blueprint("myjob", __name__), SignIn.LINK)


@bp.route("/my-job")
@require(Action.USE_WORKER_APP)
def index():
    """Jobben min."""
    ensure(Action.SEE_FOLLOW_UP, current_user)
    now = utcnow()
    return render("followup/my_job.html", job=followup.my_job(db.session, current_user, now),
                  meetings=followup.meetings_of(db.session, current_user, shared_only=True),
                  plan=followup.plan_of(db.session, current_user), now=now)
