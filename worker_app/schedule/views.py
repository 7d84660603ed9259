from flask import Blueprint, abort, current_app, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.ratelimits import calendar_feed, unknown_feed
from ..extensions import db, limiter
from ..models.types import utcnow
from ..pages import LATER_WEEKS_MAX, weeks_context
from ..policy import Action
from ..services import schedule
from ..web import SignIn, external_url, render, require, signs_in_with

bp = signs_in_with(Blueprint("schedule", __name__), SignIn.LINK)


@bp.route("/shifts")
@require(Action.USE_WORKER_APP)
def index():
    """Vakter: this week and next, one card per day."""
    return render("schedule/index.html", **weeks_context(current_user))


@bp.route("/shifts/later/<int:weeks>")
@require(Action.USE_WORKER_APP)
def later(weeks):
    """Vakter further on: two weeks at a time, up to a year, so every shift can be reached."""
    if not 2 <= weeks <= LATER_WEEKS_MAX or weeks % 2:
        abort(404)
    return render("schedule/index.html", **weeks_context(current_user, later=weeks))


@bp.route("/shifts/calendar")
@require(Action.USE_WORKER_APP)
def calendar():
    """Legg til i kalenderen: the worker's own secret calendar address."""
    token = schedule.calendar_token(current_app.config["SECRET_KEY"], current_user)
    url = external_url("schedule.feed", token=token)
    return render("schedule/calendar.html", feed_url=url,
                  webcal_url="webcal://" + url.split("://", 1)[1])


@bp.route("/shifts/calendar/renew", methods=["POST"])
@require(Action.USE_WORKER_APP)
def renew_calendar():
    """Make a new calendar address; the old one stops working."""
    schedule.renew_calendar(db.session, current_user)
    return redirect(url_for("schedule.calendar"))


@bp.route("/calendar/<token>.ics")
@limiter.limit(lambda: current_app.config["CALENDAR_RATE_LIMIT"], key_func=calendar_feed)
@limiter.limit(lambda: current_app.config["CALENDAR_UNKNOWN_RATE_LIMIT"], deduct_when=unknown_feed)
def feed(token):
    """The iCalendar feed a phone's calendar subscribes to; the address is the secret."""
    worker = schedule.worker_for_calendar_token(db.session, current_app.config["SECRET_KEY"], token)
    if worker is None:
        abort(404)
    body = schedule.calendar_feed(db.session, worker, utcnow(), _("Vakter"))
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8",
                       "Cache-Control": "private, max-age=900"}
