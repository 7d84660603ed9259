from flask import Blueprint

from ..policy import Action
from ..web import render, require

bp = Blueprint("tasks", __name__)


@bp.route("/tasks")
@require(Action.USE_WORKER_APP)
def index():
    """Oppgaver: said kindly to be coming until its own issue builds it."""
    return render("placeholder/coming.html", area="tasks")
