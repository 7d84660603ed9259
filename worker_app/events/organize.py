"""Organizers (volunteers): make events, see who comes, invite guests. And the guests' page."""

import csv
import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db, limiter
from ..formtools import options
from ..models import Region
from ..models.types import utcnow
from ..policy import Action
from ..services import events, guests, photos, readability, schedule
from ..services.errors import Invalid
from ..web import SignIn, ensure, external_url, refused, render, require, signs_in_with
from .forms import EventForm, GuestForm

bp = signs_in_with(Blueprint("organize", __name__), SignIn.PASSWORD)

GUEST_COOKIE = "wa_guest"


def pictogram_choices():
    """Pictures an organizer chooses from: one per kind of gathering, named in the organizer's
    language."""
    return options([
        ("1F389", _("Fest")), ("1F332", _("Tur i skogen")), ("1F356", _("Grilling")),
        ("1F3B2", _("Spill-kveld")), ("1F384", _("Jul")), ("26BD", _("Sport")),
        ("1F3A8", _("Kunst og håndverk")), ("2615", _("Kaffe")), ("1F3B5", _("Musikk")),
    ])


def photo_store() -> photos.PhotoStore:
    return photos.FolderStore(current_app.config["PHOTO_DIR"])


@bp.route("/media/<name>")
def photo(name):
    """A stored photo. Names are content hashes, so the file never changes: cache it for ever."""
    path = photo_store().path(name)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.route("/organize")
@require(Action.MANAGE_EVENTS)
def index():
    """The organizer's events, with how many are going and waiting."""
    return render("organize/index.html", rows=events.for_organizers(db.session, current_user, utcnow()))


@bp.route("/organize/events/new", methods=["GET", "POST"])
@bp.route("/organize/events/<int:event_id>/edit", methods=["GET", "POST"])
@require(Action.MANAGE_EVENTS)
def edit(event_id=None):
    """Make or change an event; the description gets the same easy-read hints as elsewhere."""
    event = _event(event_id) if event_id else None
    form = EventForm(data=_form_data(event) if event else {"region": 0, "guest_limit": str(events.GUEST_LIMIT)})
    form.pictogram.choices = pictogram_choices()
    form.region.choices = options([(0, _("Alle regioner"))] + [
        (r.id, r.name) for r in db.session.scalars(select(Region).order_by(Region.name))])
    status = 200
    if form.validate_on_submit():
        data = events.EventInput(
            title=form.title.data, description=form.description.data or "",
            pictogram=form.pictogram.data, day=form.day.data, start=form.start.data,
            end=form.end.data, place=form.place.data, meeting_point=form.meeting_point.data or "",
            capacity=form.capacity.data or "", deadline=form.deadline.data or "",
            region_id=form.region.data or None, invite_only=form.invite_only.data,
            guest_limit=form.guest_limit.data or "")
        try:
            upload = form.photo.data
            if upload and getattr(upload, "filename", ""):
                data.photo = photos.accept(upload.stream, photo_store())
            saved = events.save_event(db.session, data, current_user, event)
        except Invalid as problem:
            db.session.rollback()
            getattr(form, problem.field or "title").errors = [problem.message]
            status = 400
        else:
            flash(_("Aktiviteten er lagret."))
            return redirect(url_for("organize.attendees", event_id=saved.id))
    elif form.errors:
        status = 400
    report = readability.check(form.description.data or "")
    return render("organize/edit.html", form=form, event=event, report=report, status=status)


def _form_data(event) -> dict:
    start, end = schedule.oslo(event.starts_at), schedule.oslo(event.ends_at)
    return {
        "title": event.title, "description": event.description, "pictogram": event.pictogram,
        "day": start.date().isoformat(), "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"), "place": event.place, "meeting_point": event.meeting_point,
        "capacity": str(event.capacity or ""), "region": event.region_id or 0,
        "deadline": schedule.oslo(event.signup_deadline).date().isoformat()
        if event.signup_deadline else "",
        "invite_only": event.invite_only, "guest_limit": str(event.guest_limit),
    }


@bp.route("/organize/events/<int:event_id>")
@require(Action.MANAGE_EVENTS)
def attendees(event_id):
    """Who is coming, the waiting list in order, and the guests; the invitation link."""
    event = _event(event_id)
    link = external_url("organize.invite", token=guests.invite_token(
        current_app.config["SECRET_KEY"], event))
    return render("organize/attendees.html", event=event, invite_link=link,
                  people=events.attendees(db.session, event, seen_by=current_user))


@bp.route("/organize/events/<int:event_id>/attendees.csv")
@require(Action.MANAGE_EVENTS)
def attendees_csv(event_id):
    """The attendee list as a spreadsheet file."""
    event = _event(event_id)
    people = events.attendees(db.session, event, seen_by=current_user, action="event.export")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Navn"), _("Status"), _("Gjest"), _("Telefon"), _("Tidspunkt")])
    labels = {"going": _("Påmeldt"), "waiting": _("Vente-liste"), "cancelled": _("Avmeldt")}
    for state in ("going", "waiting", "cancelled"):
        for signup in getattr(people, state):
            writer.writerow([_cell(v) for v in (
                signup.worker.name if signup.worker else signup.guest_name, labels[state],
                "" if signup.worker else _("ja"), signup.guest_phone or "",
                schedule.oslo(signup.created_at).strftime("%Y-%m-%d %H:%M"))])
    response = make_response("\ufeff" + out.getvalue())  # a BOM so spreadsheets read æøå
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="aktivitet-{event.id}.csv"'
    return response


def _cell(value: str) -> str:
    """Guests type their own names: a spreadsheet must never run one as a formula."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@bp.route("/organize/events/<int:event_id>/cancel", methods=["GET", "POST"])
@require(Action.MANAGE_EVENTS)
def cancel(event_id):
    """Cancel an event, after asking: everyone signed up sees "Avlyst"."""
    event = _event(event_id)
    if request.method == "POST":
        events.cancel_event(db.session, event.id, current_user)
        flash(_("Aktiviteten er avlyst. De påmeldte får beskjed."))
        return redirect(url_for("organize.attendees", event_id=event.id))
    return render("organize/cancel.html", event=event)


def _event(event_id):
    """An event the organizer manages: another organizer's event is a 403 (its title and time
    are no secret, every staff member sees the programme's events; who comes is)."""
    event = events.get_event(db.session, event_id)
    ensure(Action.MANAGE_EVENT, event)
    return event


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def invite(token):
    """A guest's invitation: sign up with a name and a phone number, or cancel, on one page."""
    event = guests.event_for_invite(db.session, current_app.config["SECRET_KEY"], token)
    mine = guests.guest_signup(db.session, event, request.cookies.get(f"{GUEST_COOKIE}{event.id}"))
    form = GuestForm()
    status, secret = 200, None
    if request.method == "POST" and request.form.get("cancel") and mine:
        try:
            guests.guest_leave(db.session, event, mine)
        except Invalid as problem:
            refused(problem.message)
        return redirect(url_for("organize.invite", token=token))
    if request.method == "POST" and form.validate():
        try:
            mine, secret = guests.guest_join(db.session, event.id, name=form.name.data,
                                             phone=form.phone.data, consent=form.consent.data)
        except guests.GuestsFull:
            db.session.rollback()
            status = 409
        except Invalid as problem:
            db.session.rollback()
            getattr(form, problem.field if problem.field in form else "name").errors = [problem.message]
            status = 400
    elif request.method == "POST":
        status = 400
    full = (mine is None or mine.state == "cancelled") and guests.guests_full(db.session, event)
    response = make_response(render("organize/invite.html", event=event, form=form, mine=mine,
                                    guests_full=full, status=status))
    if secret:
        # Lets this browser see and cancel its own sign-up on the same link, until the event.
        response.set_cookie(f"{GUEST_COOKIE}{event.id}", secret, httponly=True, samesite="Lax",
                            max_age=60 * 60 * 24 * 180,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
