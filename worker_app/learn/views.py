from flask import Blueprint

from ..policy import Action
from ..web import render, require

bp = Blueprint("learn", __name__)


@bp.route("/learn")
@require(Action.USE_WORKER_APP)
def index():
    """Lære: said kindly to be coming until its own issue builds it."""
    return render("placeholder/coming.html", area="learn")
