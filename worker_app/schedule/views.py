from flask import Blueprint

from ..policy import Action
from ..web import render, require

bp = Blueprint("schedule", __name__)


@bp.route("/shifts")
@require(Action.USE_WORKER_APP)
def index():
    """Vakter: said kindly to be coming until its own issue builds it."""
    return render("placeholder/coming.html", area="shifts")
