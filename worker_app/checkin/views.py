"""Hvordan har du det på jobb? The worker's weekly check-in: 3 questions, one tap each (each tap
saves), then an optional "Vil du si mer?". I dag shows the first question once a week; the
worker can also begin from Hjelp at any time."""

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import CheckIn
from ..models.types import utcnow
from ..pages import checkin_answer_labels, checkin_questions
from ..policy import Action
from ..services import checkin as checkin_service
from ..services.errors import Invalid
from ..web import SignIn, render, require, signs_in_with
from .forms import SayMoreForm

bp = signs_in_with(Blueprint("checkin", __name__), SignIn.LINK)


def _words() -> dict:
    return {"questions": checkin_questions(), "answer_labels": checkin_answer_labels(),
            "columns": checkin_service.QUESTIONS,
            "choice_of": {value: key for key, value in checkin_service.CHOICES.items()}}


def _question_page(number: int, checkin: CheckIn | None, error: str | None = None, status: int = 200):
    return render("checkin/question.html", block="card", status=status, number=number,
                  checkin=checkin, error=error, **_words())


@bp.route("/how-are-you")
@require(Action.USE_WORKER_APP)
def index():
    """The first question: a new check-in begins with its answer."""
    return _question_page(1, None)


@bp.route("/how-are-you/<int:checkin_id>/<int:number>")
@require(Action.USE_WORKER_APP)
def question(checkin_id, number):
    """The next question of a check-in begun."""
    checkin = checkin_service.own(db.session, current_user, checkin_id)
    return _question_page(checkin_service.question_number(number), checkin)


@bp.route("/how-are-you/answer", methods=["POST"])
@require(Action.USE_WORKER_APP)
def answer():
    """One tap: the answer is saved at once; the last one ends the check-in."""
    number = checkin_service.question_number(request.form.get("question", "1"))
    given = request.form.get("checkin", "")
    checkin_id = int(given) if given.isdigit() else None
    try:
        checkin = checkin_service.answer(db.session, current_user, number, request.form.get("choice", ""),
                                         utcnow(), checkin_id=checkin_id)
    except Invalid as problem:
        known = checkin_service.own(db.session, current_user, checkin_id) if checkin_id else None
        if known is not None and not checkin_service.still_open(known, utcnow()):
            known = None  # a page left open too long: the first question again, a new check-in
        return _question_page(number if known else 1, known, problem.message, status=400)
    if number < len(checkin_service.QUESTIONS):
        if request.headers.get("HX-Request") == "true":  # the next question in place
            return _question_page(number + 1, checkin)
        return redirect(url_for("checkin.question", checkin_id=checkin.id, number=number + 1))
    done = url_for("checkin.done", checkin_id=checkin.id)
    if request.headers.get("HX-Request") == "true":
        response = _question_page(number, checkin)
        response.headers["HX-Redirect"] = done
        return response
    return redirect(done)


@bp.route("/how-are-you/<int:checkin_id>/done", methods=["GET", "POST"])
@require(Action.USE_WORKER_APP)
def done(checkin_id):
    """Takk. Vil du si mer? A few words or "Ring meg"; and, the first time, who may see it."""
    checkin = checkin_service.own(db.session, current_user, checkin_id)
    form = SayMoreForm()
    if request.method == "POST":
        call_me = request.form.get("call_me") == "yes"
        if form.validate_on_submit():
            try:
                checkin_service.say_more(db.session, current_user, checkin, form.note.data or "", call_me)
            except Invalid as problem:
                form.note.errors = [problem.message]
            else:
                flash(_("Jobb-spesialisten din ringer deg snart.") if call_me else _("Takk. Vi har fått det."))
                return redirect(url_for("checkin.done", checkin_id=checkin.id))
        return render("checkin/done.html", checkin=checkin, form=form, status=400, **_words())
    return render("checkin/done.html", checkin=checkin, form=form, **_words())


@bp.route("/how-are-you/share", methods=["POST"])
@require(Action.USE_WORKER_APP)
def share():
    """The worker's choice: may her job specialist see her answers? Asked once, changed any time."""
    checkin_service.share_with_specialist(db.session, current_user, request.form.get("answer") == "yes")
    flash(_("Jobb-spesialisten din kan se svarene dine.") if current_user.checkins_to_specialist
          else _("Bare du ser svarene dine."))
    back = request.form.get("back", "")
    if back.isdigit():
        return redirect(url_for("checkin.done", checkin_id=int(back)))
    return redirect(url_for("account.sharing"))
