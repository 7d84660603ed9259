from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user

from ..extensions import db
from ..models.types import utcnow
from ..pages import checkin_answer_labels, checkin_questions, day_context
from ..policy import Action, can
from ..services import checkin, events, followup, learn, one_row, reminders, schedule, tasks
from ..web import SignIn, home_url, render, require, signs_in_with

bp = signs_in_with(Blueprint("today", __name__), SignIn.LINK)


@bp.route("/")
def index():
    """I dag: the worker's day at a glance. Everyone else goes to their own start page."""
    me = current_user._get_current_object()  # the person, not the proxy: asked for many times
    if not me.is_authenticated:
        return render("auth/signed_out.html", status=401)
    if not can(me, Action.USE_WORKER_APP):
        return redirect(home_url(me))
    now = utcnow()
    # The cards that are one row each, in one query. my_job's part also says when she last
    # began a check-in: that card costs no query.
    (shift, answer), my_job, next_event, recommended = one_row.read_together(
        db.session, reminders.current_or_next_read(me, now), followup.my_job_read(me, now),
        events.next_going_read(me, now), learn.recommended_read(me, current_app.extensions["lessons"]))
    return render("today/index.html", **day_context(me, now, shift, answer), recommended=recommended,
                  notices=schedule.unread_notices(db.session, me),
                  next_event=next_event,
                  my_job=my_job if can(me, Action.SEE_FOLLOW_UP, me) else None,
                  checkin_due=checkin.is_due(my_job.last_checkin_at, now),
                  questions=checkin_questions(), answer_labels=checkin_answer_labels(),
                  tasks_today=tasks.titles_for_day(db.session, me, schedule.oslo(now).date()))


@bp.route("/notices/seen", methods=["POST"])
@require(Action.USE_WORKER_APP)
def notices_seen():
    """The worker has seen what changed."""
    schedule.mark_notices_read(db.session, current_user)
    return redirect(url_for("today.index"))

