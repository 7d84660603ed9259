from flask import Blueprint

from ..policy import Action
from ..web import render, require

bp = Blueprint("events", __name__)


@bp.route("/events")
@require(Action.USE_WORKER_APP)
def index():
    """Aktiviteter: said kindly to be coming until its own issue builds it."""
    return render("placeholder/coming.html", area="events")
