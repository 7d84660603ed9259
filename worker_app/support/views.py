from flask import Blueprint, abort
from flask_login import current_user

from ..account.views import permission_labels
from ..extensions import db
from ..models import Role
from ..policy import Action
from ..schedule.views import weeks_context
from ..services import people, schedule
from ..services.errors import NotFound
from ..today.views import day_context
from ..web import ensure, render, require

bp = Blueprint("support", __name__)


@bp.route("/support")
@require(Action.USE_SUPPORT_APP)
def index():
    """The support person's start page: whom they help, and what each worker lets them see."""
    links = people.workers_supported_by(db.session, current_user)
    return render("support/index.html", links=links, labels=permission_labels(for_worker=False),
                  notices=schedule.unread_notices(db.session, current_user))


@bp.route("/support/workers/<int:worker_id>")
@require(Action.USE_SUPPORT_APP)
def today(worker_id):
    """The worker's I dag, read-only, when the worker lets this person see shifts."""
    worker = _worker(worker_id)
    return render("support/today.html", **day_context(worker))


@bp.route("/support/workers/<int:worker_id>/shifts")
@require(Action.USE_SUPPORT_APP)
def shifts(worker_id):
    """The worker's Vakter, read-only, with the same permission."""
    worker = _worker(worker_id)
    return render("support/shifts.html", **weeks_context(worker))


def _worker(worker_id: int):
    try:
        worker = people.get_user(db.session, worker_id, Role.WORKER)
    except NotFound:
        abort(404)
    ensure(Action.SEE_SHIFTS, worker)
    return worker
