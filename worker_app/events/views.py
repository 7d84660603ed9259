"""Aktiviteter: social gatherings a worker joins in one tap."""

from flask import Blueprint, request, url_for
from flask_login import current_user
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from ..extensions import db
from ..models import User
from ..models.types import utcnow
from ..pages import change_signup
from ..policy import Action
from ..services import events
from ..services.parsing import small_int
from ..web import SignIn, render, require, signs_in_with

bp = signs_in_with(Blueprint("events", __name__), SignIn.LINK)

# A short list is easier to read on a small phone: ten at first, ten more at each "Vis flere".
PAGE, MAX_SHOWN = 10, 200


@bp.route("/events")
@require(Action.USE_WORKER_APP)
def index():
    """Aktiviteter: the next coming events as big cards, and "Vis flere" for more."""
    shown = min(max(small_int(request.args.get("show")) or PAGE, PAGE), MAX_SHOWN)
    views = events.coming_for(db.session, current_user, utcnow(), limit=shown + 1)
    return render("events/index.html", person=current_user, post_to=own_post_to, views=views[:shown],
                  # Straight to the first event not seen yet: no scrolling past the ten seen.
                  more_url=url_for("events.index", show=shown + PAGE, _anchor=f"event-{views[shown].event.id}")
                  if len(views) > shown else None)


@bp.route("/events/<int:event_id>")
@require(Action.USE_WORKER_APP)
def show(event_id):
    """One event: when, where, who it is for, and one big button."""
    return render("events/show.html", person=current_user, view=_view(current_user, event_id),
                  post_to=own_post_to)


@bp.route("/events/<int:event_id>/<any(join, leave):what>", methods=["POST"])
@require(Action.USE_WORKER_APP)
def change(event_id, what):
    """Jeg vil være med / Jeg kan ikke komme."""
    return change_signup(current_user, event_id, what, url_for("events.show", event_id=event_id))


def _view(worker: User, event_id: int) -> events.EventView:
    return events.view_of(db.session, worker, event_id)


@bp.route("/events/<int:event_id>.ics")
@require(Action.USE_WORKER_APP)
def calendar(event_id):
    """Legg til i kalenderen: one event as an iCalendar file."""
    event = _view(current_user, event_id).event
    cal = Calendar()
    cal.add("prodid", "-//Arbeidsdagen//worker_app//NO")
    cal.add("version", "2.0")
    item = CalendarEvent()
    item.add("uid", f"event-{event.id}@arbeidsdagen")
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("dtstamp", event.created_at)
    item.add("location", event.place)
    if event.meeting_point:
        item.add("description", event.meeting_point)
    cal.add_component(item)
    return cal.to_ical(), 200, {"Content-Type": "text/calendar; charset=utf-8",
                                "Content-Disposition": f'attachment; filename="event-{event.id}.ics"'}


def own_post_to(event_id: int, what: str) -> str:
    return url_for("events.change", event_id=event_id, what=what)
