"""Admin: off-boarding. Deactivate and reactivate a person, sign them out everywhere, erase
them, hand a specialist's caseload over, and the workers' erasure requests. Each action asks
first (a GET shows what will happen, the POST does it)."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from ..formtools import Form
from ..models import Role
from ..pages import handover_page
from ..policy import Action, forget_cached_relations
from ..services import erasure, offboarding, people
from ..services.errors import Invalid
from ..web import ensure, render, require
from .views import bp


class ConfirmForm(Form):
    """Only the CSRF token: the button itself is the confirmation."""


class EraseForm(Form):
    confirm = BooleanField(_l("Jeg forstår at slettingen ikke kan angres."), validators=[
        DataRequired(_l("Kryss av for at du forstår at slettingen ikke kan angres."))])


class AnswerForm(Form):
    answer = TextAreaField(_l("Svar til personen"), validators=[
        DataRequired(_l("Skriv svaret til personen.")),
        Length(max=erasure.ANSWER_MAX, message=_l("Svaret er for langt."))])


def _person(user_id):
    return people.get_user(db.session, user_id)  # an erased person is a 404 there


# What each simple confirm says, and what it does. Deactivating yourself is refused in the service.
SIMPLE = {
    "deactivate": (_l("Deaktivere %(name)s?"),
                   _l("%(name)s blir logget ut overalt med en gang, og kan ikke logge inn igjen. "
                      "API-nøkler, lenker og kalender-adressen slutter å virke. Historikken blir "
                      "lagret."), _l("Ja, deaktiver"), offboarding.deactivate,
                   _l("%(name)s er deaktivert.")),
    "reactivate": (_l("Aktivere %(name)s igjen?"),
                   _l("%(name)s kan logge inn igjen, men får ikke tilbake noe av seg selv: "
                      "arbeidstakere trenger en ny lenke, ansatte logger inn med passord."),
                   _l("Ja, aktiver"), offboarding.reactivate, _l("%(name)s er aktiv igjen.")),
    "sign-out": (_l("Logge ut %(name)s overalt?"),
                 _l("Alle innlogginger, telefoner og API-nøkler til %(name)s slutter å virke med "
                    "en gang. Kalender-adressen får en ny hemmelighet."),
                 _l("Ja, logg ut overalt"), offboarding.sign_out,
                 _l("%(name)s er logget ut overalt.")),
}


@bp.route("/users/<int:user_id>/<any(deactivate, reactivate, 'sign-out'):what>",
          methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def confirm_action(user_id, what):
    """Deactivate, reactivate or sign out everywhere: asks first, then does it."""
    person = _person(user_id)
    if what == "sign-out":
        ensure(Action.SIGN_OUT_EVERYWHERE, person)
    title, explain, button, do, done = SIMPLE[what]
    form = ConfirmForm()
    status = 200
    problem = None
    if form.validate_on_submit():
        try:
            do(db.session, current_user, person)
        except Invalid as refused:
            problem, status = refused.message, 400
        else:
            flash(done % {"name": person.name})
            if person.id == current_user.id:  # an admin signing themself out everywhere
                return redirect(url_for("auth.signed_out"))
            return redirect(url_for("admin.edit_user", user_id=person.id))
    elif request.method == "POST":
        status = 400
    return render("admin/confirm.html", person=person, form=form, status=status, problem=problem,
                  title=title % {"name": person.name}, explain=explain % {"name": person.name},
                  button=button, action=url_for("admin.confirm_action", user_id=person.id, what=what))


@bp.route("/users/<int:user_id>/erase", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def erase(user_id):
    """Erase a person: shows what will be deleted and what kept, then deletes after a tick."""
    person = _person(user_id)
    form = EraseForm()
    status = 200
    if form.validate_on_submit():
        try:
            done = erasure.erase(db.session, current_user, person)
        except Invalid as problem:
            form.confirm.errors = [problem.message]
            status = 400
        else:
            forget_cached_relations()
            flash(_("Personen er slettet. Hen heter nå %(pseudonym)s i loggen.",
                    pseudonym=person.pseudonym))
            return redirect(url_for("admin.erasures", _anchor=f"erasure-{done.id}"))
    elif form.errors:
        status = 400
    return render("admin/erase.html", person=person, form=form, status=status,
                  counts=erasure.preview(db.session, person), kinds=kind_names())


@bp.route("/users/<int:user_id>/handover", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def handover(user_id):
    """Hand all of a specialist's workers to another specialist."""
    return handover_page(people.get_user(db.session, user_id, Role.SPECIALIST))


@bp.route("/erasures")
@require(Action.MANAGE_USERS)
def erasures():
    """The workers' erasure requests that wait, and the record of erasures done."""
    return render("admin/erasures.html", waiting=erasure.waiting_requests(db.session),
                  handled=erasure.handled(db.session), kinds=kind_names())


@bp.route("/erasures/<int:erasure_id>/answer", methods=["GET", "POST"])
@require(Action.MANAGE_USERS)
def answer(erasure_id):
    """Answer a request without erasing, e.g. when the law says something must be kept."""
    row = erasure.get(db.session, erasure_id)
    form = AnswerForm()
    status = 200
    if form.validate_on_submit():
        try:
            erasure.answer(db.session, current_user, row, form.answer.data)
        except Invalid as problem:
            form.answer.errors = [problem.message]
            status = 400
        else:
            flash(_("Svaret er sendt."))
            return redirect(url_for("admin.erasures"))
    elif form.errors:
        status = 400
    return render("admin/answer.html", row=row, form=form, status=status)


def kind_names() -> dict[str, str]:
    """Words for each kind of data an erasure counts."""
    return {
        "reminders": _("Varsler"), "notices": _("Beskjeder"), "left_home": _("«Jeg har gått»"),
        "help_requests": _("Hjelpe-meldinger"), "check_ins": _("Svar på «Hvordan har du det på jobb?»"),
        "steps_done": _("Steg gjort"),
        "runs": _("Ganger gjennom en oppgave"), "assignments": _("Oppgaver gitt"),
        "support_levels": _("Hjelpe-nivå per steg"), "mastery_claims": _("«Jeg kan dette nå»"),
        "lessons": _("Lære"), "events": _("Påmeldinger"), "shifts": _("Vakter"),
        "shift_rules": _("Faste vakter"), "push_subscriptions": _("Varsel-abonnementer"),
        "sessions": _("Innlogginger"), "devices": _("Telefoner og PC-er"),
        "sign_in_links": _("Lenker for å logge inn"), "picture_code": _("Bilde-kode"),
        "api_tokens": _("API-nøkler"), "support_links": _("Støtte-personer"),
        "follows": _("Hvem som følger hvem"), "audit_entries_marked": _("Logg-linjer merket"),
    }
