from flask import Blueprint
from flask_login import current_user

from ..account.views import permission_labels
from ..extensions import db
from ..policy import Action
from ..services import people
from ..web import render, require

bp = Blueprint("support", __name__)


@bp.route("/support")
@require(Action.USE_SUPPORT_APP)
def index():
    """The support person's start page: whom they help, and what each worker lets them see."""
    links = people.workers_supported_by(db.session, current_user)
    return render("support/index.html", links=links, labels=permission_labels(for_worker=False))
