"""What a reminder says when it is sent: built then, from the shift as it is then, in the
recipient's language."""

from __future__ import annotations

import base64
import hashlib

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from ... import pictograms
from ...models import (
    Event,
    HelpRequest,
    Reminder,
    Role,
)
from .kinds import kind_of, moments
from .left_home import left_token


def topic(reminder: Reminder) -> str:
    """RFC 8030 Topic: a newer message about the same thing replaces one still waiting on the
    push service (at most 32 URL-safe base64 characters)."""
    subject = reminder.shift_id or reminder.event_id or reminder.assignment_id or reminder.help_request_id
    digest = hashlib.sha256(f"{kind_of(reminder.kind)}:{subject}:{reminder.user_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()



def message(session: Session, r: Reminder, secret_key: str) -> dict:
    """The notification, in the recipient's language: title, words, pictogram, where a tap goes."""
    with force_locale(r.user.locale or "nb"):
        return _message(session, r, secret_key)


def _icon(name: str) -> str:
    return f"/static/vendor/openmoji/{pictograms.code(name)}.svg"


def _message(session: Session, r: Reminder, secret_key: str) -> dict:
    from ...timewords import clock, day_words

    shift, worker = r.shift, r.worker
    data: dict = {"kind": r.kind, "tag": topic(r), "url": "/"}
    if r.kind in ("get_ready", "leave_home"):
        at = moments(shift, worker)
        starts = _("Vakten begynner kl. %(time)s.", time=clock(shift.starts_at))
        if r.kind == "get_ready":
            leave = (" " + _("Gå hjemme-fra kl. %(time)s.", time=clock(at.leave_home))) if at.leave_home else ""
            data.update(title=_("Gjør deg klar"), body=starts + leave, icon=_icon("get_ready"))
        else:
            data.update(title=_("Gå hjemme-fra nå"), body=starts, icon=_icon("leave_home"),
                        actions=[{"action": "left", "title": _("Jeg har gått")}],
                        left_url="/reminders/left", left_token=left_token(secret_key, worker.id, shift.id))
    elif r.kind == "shift_changed":
        data.update(title=_("Vakten er endret"), icon=_icon("changed"), url="/shifts",
                    body=_("Vakten er nå %(day)s kl. %(time)s.", day=day_words(shift.starts_at),
                           time=clock(shift.starts_at)))
    elif r.kind == "shift_cancelled":
        data.update(title=_("Vakten er endret"), icon=_icon("changed"), url="/shifts",
                    body=_("Vakten %(day)s er avlyst.", day=day_words(shift.starts_at)))
    elif r.kind == "new_task":
        from ...models import Assignment, ChecklistVersion

        assignment = session.get(Assignment, r.assignment_id)
        title = session.get(ChecklistVersion, assignment.version_id).checklist.title if assignment else ""
        data.update(title=_("Du har fått en ny oppgave"), body=title, icon=_icon("tasks"),
                    url=f"/tasks/{r.assignment_id}")
    elif r.kind in ("event_tomorrow", "event_place"):
        event = session.get(Event, r.event_id)
        if r.kind == "event_tomorrow":
            data.update(title=_("I morgen: %(title)s", title=event.title), icon=_icon("events"),
                        body=_("Det begynner kl. %(time)s.", time=clock(event.starts_at)))
        else:
            data.update(title=_("Du har fått plass"), icon=_icon("going"),
                        body=_("%(title)s, %(day)s.", title=event.title, day=day_words(event.starts_at)))
        data["url"] = f"/events/{r.event_id}"
    elif r.kind in ("not_left", "late"):
        starts = _("Vakten begynner kl. %(time)s.", time=clock(shift.starts_at))
        title = (_("%(name)s har ikke trykket «Jeg har gått».", name=worker.first_name) if r.kind == "not_left"
                 else _("%(name)s blir sen.", name=worker.first_name))
        data.update(title=title, body=starts, icon=_icon("late" if r.kind == "late" else "leave_home"),
                    url=_helper_url(r))
    elif r.kind == "help":
        from ...pages import reason_labels

        request = session.get(HelpRequest, r.help_request_id)
        data.update(title=_("%(name)s trenger hjelp", name=worker.first_name), icon=_icon("help"),
                    body=reason_labels().get(request.reason, "") if request else "", url=_helper_url(r))
    return data


def _helper_url(r: Reminder) -> str:
    if r.user.role == Role.SUPPORT:
        return f"/support/workers/{r.worker_id}"
    return f"/staff/workers/{r.worker_id}"
