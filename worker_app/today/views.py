from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user

from ..extensions import db
from ..models import User
from ..models.types import utcnow
from ..policy import Action, can
from ..services import events, followup, learn, reminders, schedule, site, tasks
from ..web import SignIn, home_url, render, require, signs_in_with

bp = signs_in_with(Blueprint("today", __name__), SignIn.LINK)


@bp.route("/")
def index():
    """I dag: the worker's day at a glance. Everyone else goes to their own start page."""
    if not current_user.is_authenticated:
        return render("auth/signed_out.html", status=401)
    if not can(current_user, Action.USE_WORKER_APP):
        return redirect(home_url(current_user))
    recommended = learn.recommended_for(db.session, current_user, current_app.extensions["lessons"])
    return render("today/index.html", **day_context(current_user), recommended=recommended,
                  notices=schedule.unread_notices(db.session, current_user),
                  next_event=events.next_going(db.session, current_user, utcnow()),
                  my_job=followup.my_job(db.session, current_user, utcnow())
                  if can(current_user, Action.SEE_FOLLOW_UP, current_user) else None,
                  tasks_today=tasks.for_day(db.session, current_user, schedule.oslo(utcnow()).date(),
                                            with_steps=False))


@bp.route("/notices/seen", methods=["POST"])
@require(Action.USE_WORKER_APP)
def notices_seen():
    """The worker has seen what changed."""
    schedule.mark_notices_read(db.session, current_user)
    return redirect(url_for("today.index"))


def day_context(person: User) -> dict:
    """What I dag shows of a worker's day; shared with the support person's read-only view."""
    now = utcnow()
    shift, answer = reminders.current_or_next_with_answer(db.session, person, now)
    leave = schedule.leave_home(shift, person) if shift else None
    phone = shift.workplace.contact_phone if shift and shift.workplace else None
    return {
        "now_card": reminders.now_card(shift, person, answer, now),
        "leader_tel": site.tel_href(phone) if phone else None,
        "person": person,
        "now": now,
        "shift": shift,
        "leave": leave,
        "minutes_left": schedule.minutes_left(shift, now) if shift else None,
        # Whole minutes until it is time to leave home (rounded up: "om 1 minutt", never 0
        # too early); None when there is no leave-home time.
        "leave_in": -int((now - leave.leave).total_seconds() // 60) if leave else None,
    }
