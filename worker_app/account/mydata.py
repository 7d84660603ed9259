"""'Se alt som er lagret om deg': the worker reads, and downloads, everything stored about them."""

import json

from flask import Blueprint, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..policy import Action
from ..services import mydata
from ..web import SignIn, render, require, signs_in_with

bp = signs_in_with(Blueprint("mydata", __name__), SignIn.LINK)

# What each kind of data is called on the page, with its pictogram.
LABELS = {
    "person": (_l("Om deg"), "person"),
    "shifts": (_l("Vakter"), "shifts"),
    "shift_rules": (_l("Faste vakter"), "shifts"),
    "assignments": (_l("Oppgaver"), "tasks"),
    "runs": (_l("Ganger du har gjort en oppgave"), "tasks"),
    "steps_done": (_l("Steg du har gjort"), "check"),
    "support_levels": (_l("Hvor mye hjelp du får på et steg"), "support"),
    "mastery_claims": (_l("Steg du sa at du kan"), "star"),
    "lessons": (_l("Lære"), "learn"),
    "events": (_l("Aktiviteter"), "events"),
    "help_requests": (_l("Du har bedt om hjelp"), "help"),
    "signs_seen": (_l("Notater fra jobb-spesialisten"), "note"),
    "check_ins": (_l("Hvordan har du det på jobb?"), "check_in"),
    "meetings": (_l("Møter med jobb-spesialisten"), "meeting"),
    "support_plan": (_l("Plan for besøk"), "support"),
    "trial_periods": (_l("Arbeids-praksis"), "trial"),
    "reminders": (_l("Varsler"), "changed"),
    "left_home": (_l("Du trykket «Jeg har gått»"), "leave_home"),
    "push_subscriptions": (_l("Telefoner som får varsler"), "phone"),
    "notices": (_l("Beskjeder til deg"), "changed"),
    "support_links": (_l("Støtte-personer"), "sharing"),
    "devices": (_l("Telefoner og PC-er"), "lock"),
    "sign_in_links": (_l("Lenker for å logge inn"), "link"),
    "audit": (_l("Hvem har sett eller endret noe"), "log"),
    "erasure_requests": (_l("Du har bedt om å få slettet alt"), "erase"),
}


@bp.route("/my-data")
@require(Action.USE_WORKER_APP)
def index():
    """Everything stored about the worker, counted by kind, and who saw it lately."""
    sections = mydata.everything(db.session, current_user)
    return render("account/mydata.html", sections=sections, labels=LABELS,
                  seen=mydata.who_saw(db.session, current_user))


@bp.route("/my-data.json")
@require(Action.USE_WORKER_APP)
def download():
    """The same, whole, as a file to take along (GDPR article 20)."""
    sections = mydata.everything(db.session, current_user)
    body = json.dumps({"format": "arbeidsdagen-my-data/1",
                       **{s.key: s.rows for s in sections}}, ensure_ascii=False, indent=1)
    response = current_app.response_class(body, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="arbeidsdagen-mine-data.json"'
    return response


@bp.route("/my-data/erase", methods=["GET", "POST"])
@require(Action.USE_WORKER_APP)
def erase():
    """'Vil du at vi sletter alt om deg?': asks first; then says what happens with the request."""
    from flask import redirect, url_for

    from ..services import erasure

    if request.method == "POST":
        erasure.ask(db.session, current_user)
        return redirect(url_for("mydata.erase"))
    return render("account/erase.html", request_row=erasure.latest_request(db.session, current_user))
