"""Lære: short easy-read lessons, one screen at a time, then a small quiz with pictures."""

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from ..content import Lesson
from ..extensions import db
from ..policy import Action
from ..services import learn
from ..services.errors import Invalid
from ..services.parsing import small_int
from ..web import SignIn, render, require, signs_in_with

bp = signs_in_with(Blueprint("learn", __name__), SignIn.LINK)


def all_lessons() -> dict[str, Lesson]:
    return current_app.extensions["lessons"]


def _lesson(slug: str) -> Lesson:
    lesson = all_lessons().get(slug)
    if lesson is None:
        abort(404)
    return lesson


def _locale() -> str:
    return str(get_locale() or "nb")


@bp.route("/learn")
@require(Action.USE_WORKER_APP)
def index():
    """Lære: every lesson as a big card with its state: new, started or done."""
    lessons = all_lessons()
    progress = learn.progress_of(db.session, current_user, lessons)
    return render("learn/index.html", lessons=lessons.values(), progress=progress,
                  state_of=learn.state_of, locale=_locale(),
                  all_done=learn.all_done(progress, lessons))


@bp.route("/learn/<slug>")
@require(Action.USE_WORKER_APP)
def show(slug):
    """A lesson starts at its first screen."""
    _lesson(slug)
    return redirect(url_for("learn.screen", slug=slug, number=1))


@bp.route("/learn/<slug>/<int:number>")
@require(Action.USE_WORKER_APP)
def screen(slug, number):
    """One screen of a lesson, with Neste and Tilbake."""
    lesson = _lesson(slug)
    text = lesson.text(_locale())
    if not 1 <= number <= len(text.screens):
        abort(404)
    learn.open_screen(db.session, current_user, lesson)
    page = text.screens[number - 1]
    has_audio = page.audio_key in current_app.extensions["lesson_audio"]
    return render("learn/screen.html", lesson=lesson, text=text, number=number, page=page,
                  has_audio=has_audio)


@bp.route("/learn/<slug>/quiz/<int:number>", methods=["GET", "POST"])
@require(Action.USE_WORKER_APP)
def quiz(slug, number):
    """One question: pick a picture. A wrong answer is explained kindly; try again any time."""
    lesson = _lesson(slug)
    text = lesson.text(_locale())
    if not 1 <= number <= len(text.quiz):
        abort(404)
    question = text.quiz[number - 1]
    outcome, chosen = None, None
    if request.method == "POST":
        chosen = small_int(request.form.get("answer", ""))
        if chosen is None:
            abort(400)
        try:
            right = learn.answer(db.session, current_user, lesson, number, chosen, _locale())
        except Invalid:
            abort(400)
        outcome = "right" if right else "wrong"
    return render("learn/quiz.html", lesson=lesson, text=text, number=number, question=question,
                  outcome=outcome, chosen=chosen, last=number == len(text.quiz))


@bp.route("/learn/<slug>/done")
@require(Action.USE_WORKER_APP)
def done(slug):
    """The end of a lesson: calm words and what comes next."""
    lesson = _lesson(slug)
    progress = learn.progress_of(db.session, current_user)
    if learn.state_of(progress, lesson) != learn.DONE:
        return redirect(url_for("learn.quiz", slug=slug, number=1))
    lessons = all_lessons()
    next_lesson = next((other for other in lessons.values()
                        if learn.state_of(progress, other) != learn.DONE), None)
    return render("learn/done.html", lesson=lesson, text=lesson.text(_locale()),
                  next_lesson=next_lesson, locale=_locale(),
                  all_done=learn.all_done(progress, lessons))


@bp.route("/learn/certificate")
@require(Action.USE_WORKER_APP)
def certificate():
    """Kompetanse-bevis: printable when every lesson is done."""
    lessons = all_lessons()
    progress = learn.progress_of(db.session, current_user, lessons)
    if not learn.all_done(progress, lessons):
        return render("learn/certificate.html", ready=False, lessons=lessons.values(),
                      progress=progress, locale=_locale(), status=200)
    return render("learn/certificate.html", ready=True, lessons=lessons.values(),
                  progress=progress, locale=_locale())
