"""Page helpers more than one blueprint shows: where to go after signing in (never off the
site); the words for permissions, help reasons, picture-code pictures and weekdays; the context
of a worker's day and weeks (the worker's own pages and the support person's read-only views);
signing a worker up for an event; and handing a specialist's caseload over (the admin's page and
her own). Views import these from here, never from another blueprint's views."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField
from wtforms.validators import DataRequired

from . import pictograms
from .extensions import db
from .formtools import Form, options
from .i18n import gettext as _  # the fast path: I dag asks for a dozen of these
from .models import HelpReason, Permission, User
from .models.types import utcnow
from .policy import Action, can, forget_cached_relations
from .services import events, offboarding, people, reminders, schedule, site
from .services.errors import Invalid
from .web import ensure, refused, render


def safe_next(default: str) -> str:
    """Only a path on this site: never an open redirect (browsers drop tabs and newlines, so
    "/\t/evil.example" would become "//evil.example")."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if (target.startswith("/") and not target.startswith("//") and not parts.scheme
            and not parts.netloc and "\\" not in target and all(ord(c) > 0x20 for c in target)):
        return target
    return default


def picture_choices() -> list[tuple[str, str]]:
    names = {
        "dog": _("Hund"), "cat": _("Katt"), "apple": _("Eple"), "car": _("Bil"),
        "star": _("Stjerne"), "flower": _("Blomst"), "fish": _("Fisk"), "house": _("Hus"),
        "balloon": _("Ballong"),
    }
    return options((key, names[key]) for key in pictograms.PICTURE_CODE_CHOICES)


def permission_labels(for_worker: bool = True) -> dict[Permission, str]:
    """Words for each permission, said to the worker ("your") or to the support person."""
    if not for_worker:
        return {
            Permission.SEE_SHIFTS: _("se vaktene og neste møte med jobb-spesialisten"),
            Permission.SEE_TASKS: _("se oppgavene"),
            Permission.TICK_TASKS: _("krysse av oppgaver"),
            Permission.SIGN_UP_EVENTS: _("melde på aktiviteter"),
            Permission.NOTIFY_NOT_LEFT: _("få beskjed hvis arbeidstakeren ikke har gått hjemme-fra"),
            Permission.SEE_WELLBEING: _("se svarene på «Hvordan har du det på jobb?»"),
        }
    return {
        Permission.SEE_SHIFTS: _("se vaktene dine og når du skal møte jobb-spesialisten"),
        Permission.SEE_TASKS: _("se oppgavene dine"),
        Permission.TICK_TASKS: _("krysse av oppgaver for deg"),
        Permission.SIGN_UP_EVENTS: _("melde deg på aktiviteter"),
        Permission.NOTIFY_NOT_LEFT: _("få beskjed hvis du ikke har trykket «Jeg har gått»"),
        Permission.SEE_WELLBEING: _("se svarene dine på «Hvordan har du det på jobb?»"),
    }


def reason_labels() -> dict[str, str]:
    return {
        HelpReason.SAD: _("Jeg er lei meg"),
        HelpReason.UNSAFE: _("Jeg føler meg utrygg"),
        HelpReason.TASK: _("Jeg forstår ikke en oppgave"),
        HelpReason.LATE: _("Jeg kommer for sent"),
        HelpReason.SICK: _("Jeg er syk"),
        HelpReason.CALL_ME: _("Ring meg"),
    }


def checkin_questions() -> list[str]:
    """ "Hvordan har du det på jobb?": the questions in the order of services/checkin.QUESTIONS."""
    return [_("Liker du oppgavene?"), _("Har du det fint med de andre på jobb?"), _("Får du nok hjelp?")]


def checkin_answer_labels() -> dict[str, str]:
    """The three answers, as words (with a picture beside each): never a number."""
    return {"yes": _("Ja"), "sometimes": _("Av og til"), "no": _("Nei")}


def checkin_trend(person: User) -> dict:
    """The staff worker page's "Hvordan har du det på jobb?": only answers the worker shared
    (can() decides; history() logs the read). Words and a calm line, never a score."""
    from .services import checkin

    shared = can(current_user, Action.SEE_CHECKINS, person)
    return {"checkin_history": checkin.history(db.session, current_user, person) if shared else None,
            "checkin_questions": checkin_questions(), "checkin_answer_labels": checkin_answer_labels(),
            "checkin_columns": checkin.QUESTIONS,
            "checkin_choice_of": {v: k for k, v in checkin.CHOICES.items()}}


def checkin_caseload_words() -> dict:
    """What "Mine arbeidstakere" says of each worker's newest shared check-in."""
    from .services import checkin

    return {"checkin_short": [_("Oppgavene"), _("De andre"), _("Hjelp")],
            "checkin_answer_labels": checkin_answer_labels(), "checkin_columns": checkin.QUESTIONS,
            "checkin_choice_of": {v: k for k, v in checkin.CHOICES.items()}}


def change_signup(worker: User, event_id: int, what: str, back: str):
    """Sign a worker up or off; shared with the support person's page. Problems are said kindly."""
    ensure(Action.SIGN_UP_EVENTS, worker)
    view = events.view_of(db.session, worker, event_id)
    try:
        if what == "join":
            signup = events.join(db.session, event_id, worker, by=current_user)
            flash(_("Du er med.") if signup.state == "going" else _("Du står på vente-listen."))
        elif view.signup is not None:
            events.leave(db.session, event_id, view.signup.id, by=current_user)
            flash(_("Du er ikke med lenger."))
    except Invalid as problem:
        refused(problem.message)
    return redirect(back)


LATER_WEEKS_MAX = 52


def weeks_context(person: User, later: int = 0) -> dict:
    """Two weeks of Vakter: this week and next, or (later) the two weeks that many weeks on."""
    now = utcnow()
    day = schedule.oslo(now).date() + timedelta(weeks=later)
    return {"person": person, "now": now, "later": later,
            "days": schedule.two_weeks(db.session, person, day),
            "next_later": later + 2 if later + 2 <= LATER_WEEKS_MAX else None,
            "leave_for": lambda shift: schedule.leave_home(shift, person)}


def day_context(person: User, now: datetime, shift, answer) -> dict:
    """What I dag shows of a worker's day; shared with the support person's read-only view.
    The shift now or next and its answer are read by the view (reminders.current_or_next_read):
    I dag reads them together with its other one-row reads."""
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


def weekday_names() -> list[str]:
    return [_("mandag"), _("tirsdag"), _("onsdag"), _("torsdag"), _("fredag"), _("lørdag"),
            _("søndag")]


def reminder_labels(user) -> dict[str, str]:
    """The reminders this person can turn off, one switch each, in their words."""
    labels = {
        "get_ready": _("Gjør deg klar"),
        "leave_home": _("Gå hjemme-fra nå"),
        "shift_changed": _("Vakten er endret"),
        "new_task": _("Du har fått en ny oppgave"),
        "event_tomorrow": _("En aktivitet i morgen"),
        "event_place": _("Du har fått plass"),
        "not_left": _("Har ikke trykket «Jeg har gått»"),
        "late": _("Blir sen"),
        "help": _("Hjelpe-meldinger"),
    }
    return {kind: labels[kind] for kind in reminders.kinds_for(user)}


# Handing a caseload over: the admin's page for a specialist, and the specialist's own. -----


class HandOverForm(Form):
    specialist = SelectField(_l("Ny jobb-spesialist"), coerce=int,
                             validators=[DataRequired(_l("Velg en annen jobb-spesialist."))])


def handover_page(specialist):
    """The hand-over form and its answer, for an admin or the specialist herself."""
    ensure(Action.HAND_OVER_CASELOAD, specialist)
    form = HandOverForm()
    form.specialist.choices = options([(0, _("Velg"))] + [
        (s.id, s.name) for s in offboarding.other_specialists(db.session, specialist)])
    status = 200
    if form.validate_on_submit():
        try:
            moved = offboarding.hand_over(db.session, current_user, specialist, form.specialist.data)
        except Invalid as problem:
            form.specialist.errors = [problem.message]
            status = 400
        else:
            forget_cached_relations()
            flash(_("%(count)s arbeidstakere er gitt videre.", count=len(moved)))
            if specialist.id == current_user.id:
                return redirect(url_for("staff.index"))
            return redirect(url_for("admin.edit_user", user_id=specialist.id))
    elif form.errors:
        status = 400
    return render("admin/handover.html", specialist=specialist, form=form, status=status,
                  workers=people.followed_workers(db.session, specialist))

