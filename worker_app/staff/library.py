"""The checklist library: a specialist builds task checklists from the real workplace."""

import segno
from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ..extensions import db
from ..models import Role, Workplace
from ..models.types import utcnow
from ..pages import weekday_names
from ..policy import Action
from ..services import people, photos, pictogram_search, readability, schedule, tasks
from ..services.errors import Invalid
from ..web import SignIn, ensure, external_url, render, require, signs_in_with
from .library_forms import ChecklistSettingsForm, NewChecklistForm, PushForm, StepForm, name_problem

bp = signs_in_with(Blueprint("library", __name__, url_prefix="/staff/checklists"), SignIn.PASSWORD)


def _index():
    """The pictogram names for the staff member's language, built once per process."""
    locale = "nn" if str(get_locale()) == "nn" else "nb"
    cache = current_app.extensions.setdefault("pictogram_index", {})
    if locale not in cache:
        from ..config import ROOT

        cache[locale] = pictogram_search.build_index(ROOT / "node_modules", locale)
    return cache[locale]


def _checklist(checklist_id: int):
    checklist = tasks.get_checklist(db.session, checklist_id)
    ensure(Action.EDIT_CHECKLIST, checklist)
    return checklist


@bp.route("", methods=["GET", "POST"])
@require(Action.USE_LIBRARY)
def index():
    """The library: every checklist of this specialist, and a new one."""
    form = NewChecklistForm()
    if form.validate_on_submit():
        try:
            checklist = tasks.create_checklist(db.session, current_user, form.title.data)
        except Invalid as problem:
            name_problem(form, problem)
        else:
            return redirect(url_for("library.edit", checklist_id=checklist.id))
    return render("library/index.html", checklists=tasks.library(db.session, current_user),
                  form=form, status=400 if form.errors else 200)


@bp.route("/<int:checklist_id>")
@require(Action.USE_LIBRARY)
def edit(checklist_id):
    """The editor: steps in order, a new step with a searched pictogram, and push."""
    return _editor(_checklist(checklist_id))


def _workplaces():
    return db.session.scalars(select(Workplace).order_by(Workplace.name)).all()


def _followed():
    return people.followed_workers(db.session, current_user) \
        if current_user.role == Role.SPECIALIST else []


def _editor(checklist, status=200, settings_form=None, step_form=None, push_form=None,
            push_error=None, already=None):
    """The editor page. The form that was sent comes back as it was typed, with its problem
    beside the field; the others are fresh."""
    version = checklist.versions[-1]
    words = "\n".join(s.text + (". " + s.hint if s.hint else "") for s in version.steps)
    settings_form = settings_form or ChecklistSettingsForm(
        _workplaces(), formdata=None, data={"title": checklist.title, "workplace": checklist.workplace_id or 0})
    step_form = step_form or StepForm(formdata=None, data={"q": request.args.get("q", "")})
    push_form = push_form or PushForm(_followed(), weekday_names(), formdata=None)
    query = (step_form.q.data or "").strip()
    return render(
        "library/edit.html", checklist=checklist, version=version, status=status,
        report=readability.check(words), step_report=readability.check(step_form.text.data or ""),
        query=query, results=pictogram_search.search(_index(), query) if query else [],
        settings_form=settings_form, step_form=step_form, push_form=push_form,
        push_error=push_error, already=already or [], same_picture=tasks.same_picture_as_before(list(version.steps)),
    )


@bp.route("/<int:checklist_id>/settings", methods=["POST"])
@require(Action.USE_LIBRARY)
def settings(checklist_id):
    """Name, picture and workplace of the checklist."""
    checklist = _checklist(checklist_id)
    form = ChecklistSettingsForm(_workplaces())
    if form.validate():
        try:
            tasks.update_checklist(db.session, checklist, title=form.title.data,
                                   pictogram=form.pictogram.data or "", workplace_id=form.workplace.data or None)
        except Invalid as problem:
            name_problem(form, problem)
    if form.errors:
        db.session.rollback()
        return _editor(tasks.get_checklist(db.session, checklist.id), status=400, settings_form=form)
    flash(_("Oppgaven er lagret."))
    return redirect(url_for("library.edit", checklist_id=checklist.id))


@bp.route("/check", methods=["POST"])
@require(Action.USE_LIBRARY)
def check_text():
    """As the specialist types: long sentences and long words (htmx swaps in the warnings)."""
    return render("library/edit.html", block="text_warnings", fragment_only=True,
                  step_report=readability.check(request.form.get("text", "")[:2000]))


@bp.route("/<int:checklist_id>/steps", methods=["POST"])
@require(Action.USE_LIBRARY)
def add_step(checklist_id):
    """Add a step. 'Søk' finds pictograms and keeps what was typed, and a chosen photo (it is
    stored first and comes back as a hidden field); 'Legg til' saves the step."""
    checklist = _checklist(checklist_id)
    form = StepForm()
    photo = photo_problem = None
    try:
        photo = _step_photo(form)
    except Invalid as problem:
        photo_problem = problem
    form.kept_photo.data = photo or ""
    if request.form.get("action") == "search":
        if photo_problem:
            name_problem(form, photo_problem)
        return _editor(checklist, step_form=form, status=400 if photo_problem else 200)
    if form.validate() and not photo_problem:
        try:
            tasks.add_step(db.session, checklist, text=form.text.data, pictogram=form.pictogram.data or "",
                           hint=form.hint.data or "", photo=photo)
        except Invalid as problem:
            name_problem(form, problem)
    if photo_problem:
        name_problem(form, photo_problem)
    if form.errors:
        db.session.rollback()
        return _editor(tasks.get_checklist(db.session, checklist.id), status=400, step_form=form)
    flash(_("Steget er lagt til."))
    return redirect(url_for("library.edit", checklist_id=checklist.id) + "#steps")


def _step_photo(form) -> str | None:
    """A photo chosen now is checked and stored; else the one stored at an earlier "Søk", if
    it is a stored photo's name (store.path checks the name, so no other file is reachable)."""
    store = photos.FolderStore(current_app.config["PHOTO_DIR"])
    upload = form.photo.data
    if upload and upload.filename:
        return photos.accept(upload.stream, store)
    kept = form.kept_photo.data or ""
    return kept if kept and store.path(kept) else None


@bp.route("/<int:checklist_id>/steps/<int:position>/<any(up, down, delete):what>",
          methods=["POST"])
@require(Action.USE_LIBRARY)
def change_step(checklist_id, position, what):
    """Move a step up or down with a button, or delete it."""
    checklist = _checklist(checklist_id)
    if what == "delete":
        tasks.delete_step(db.session, checklist, position)
    else:
        tasks.move_step(db.session, checklist, position, up=what == "up")
    return redirect(url_for("library.edit", checklist_id=checklist.id) + "#steps")


@bp.route("/<int:checklist_id>/print")
@require(Action.USE_LIBRARY)
def print_page(checklist_id):
    """To tape up at the workstation: a QR code that opens the checklist for the signed-in
    worker, and the steps on paper with their pictures for days without a phone."""
    checklist = _checklist(checklist_id)
    url = external_url("tasks.open_checklist", checklist_id=checklist.id)
    qr = Markup(segno.make(url, error="m").svg_inline(scale=8, dark="#000", light="#fff",
                                                       omitsize=True))
    return render("library/print.html", checklist=checklist, version=checklist.versions[-1],
                  qr_svg=qr, url=url)


@bp.route("/<int:checklist_id>/copy", methods=["POST"])
@require(Action.USE_LIBRARY)
def copy(checklist_id):
    """A copy to adapt for another workplace or worker."""
    copied = tasks.copy_checklist(db.session, _checklist(checklist_id), current_user,
                                  _("%(title)s (kopi)", title=_checklist(checklist_id).title))
    flash(_("Oppgaven er kopiert."))
    return redirect(url_for("library.edit", checklist_id=copied.id))


@bp.route("/<int:checklist_id>/archive", methods=["POST"])
@require(Action.USE_LIBRARY)
def archive(checklist_id):
    """Take a checklist out of the library; what workers already have stays."""
    tasks.archive_checklist(db.session, _checklist(checklist_id))
    flash(_("Oppgaven er arkivert."))
    return redirect(url_for("library.index"))


@bp.route("/<int:checklist_id>/push", methods=["POST"])
@require(Action.USE_LIBRARY)
def push(checklist_id):
    """Give the checklist to some of the specialist's workers, once or on weekdays. A worker
    who already has it on one of the days is named, and the form asks which one to keep."""
    checklist = _checklist(checklist_id)
    form = PushForm(_followed(), weekday_names())
    chosen = people.workers_by_id(db.session, [i for i in form.workers.data or [] if i > 0])
    for worker in chosen:
        ensure(Action.PUSH_CHECKLIST, worker)
    push_error = already = None
    if form.validate():
        try:
            on_date = schedule.parse_date(form.on_date.data, "on_date") if form.on_date.data else None
            made = tasks.push(db.session, checklist, workers=chosen, by=current_user, on_date=on_date,
                              weekdays=[d for d in form.weekdays.data or [] if d in range(7)],
                              every_shift=form.every_shift.data, today=schedule.oslo(utcnow()).date(),
                              on_clash=form.on_clash.data)
        except tasks.AlreadyGiven as problem:
            already = problem.workers
        except Invalid as problem:
            if not name_problem(form, problem):
                push_error = problem
    if form.errors or push_error or already:
        db.session.rollback()
        return _editor(tasks.get_checklist(db.session, checklist.id), status=409 if already else 400,
                       push_form=form, push_error=push_error, already=already)
    flash(ngettext("Oppgaven er sendt til %(num)s arbeidstaker.",
                   "Oppgaven er sendt til %(num)s arbeidstakere.", len(made)) if made
          else _("Ingen fikk oppgaven på nytt. De har den fra før."))
    return redirect(url_for("library.edit", checklist_id=checklist.id))


@bp.route("/assignments/<int:assignment_id>/withdraw", methods=["POST"])
@require(Action.USE_LIBRARY)
def withdraw(assignment_id):
    """Take a pushed checklist back from a worker (after "Ja, ta den tilbake"); the worker is
    told on I dag, and what was done in it is kept."""
    assignment = tasks.active_assignment(db.session, assignment_id)
    ensure(Action.PUSH_CHECKLIST, assignment.worker)
    started = tasks.withdraw(db.session, assignment, current_user)
    name = assignment.worker.first_name
    flash(_("Oppgaven er tatt tilbake. %(name)s får beskjed på I dag.", name=name)
          + (" " + _("Det %(name)s har gjort, er tatt vare på.", name=name) if started else ""))
    return redirect(url_for("staff.worker", worker_id=assignment.worker_id) + "#tasks")
