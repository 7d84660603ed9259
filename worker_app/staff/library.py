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
from ..policy import Action
from ..services import people, photos, pictogram_search, readability, schedule, tasks
from ..services.errors import Invalid
from ..services.parsing import small_int
from ..web import SignIn, ensure, external_url, render, require, signs_in_with
from .forms import ChecklistForm, StepForm

bp = signs_in_with(Blueprint("library", __name__, url_prefix="/staff/checklists"), SignIn.PASSWORD)


def _index():
    """The pictogram names for the staff member's language, built once per process."""
    locale = "nn" if str(get_locale()) == "nn" else "nb"
    cache = current_app.extensions.setdefault("pictogram_index", {})
    if locale not in cache:
        from ..config import ROOT

        cache[locale] = pictogram_search.build_index(ROOT / "node_modules", locale)
    return cache[locale]


def _refusal(form, main_field: str) -> Invalid | None:
    """The form's first problem as the editor shows it (beside the field it names; a bad
    picture code can only come from a changed page, so it is told beside the main field)."""
    for name, errors in form.errors.items():
        return Invalid(errors[0], field=name if name in ("title", "text", "hint") else main_field)
    return None


def _checklist(checklist_id: int):
    checklist = tasks.get_checklist(db.session, checklist_id)
    ensure(Action.EDIT_CHECKLIST, checklist)
    return checklist


@bp.route("", methods=["GET", "POST"])
@require(Action.USE_LIBRARY)
def index():
    """The library: every checklist of this specialist, and a new one."""
    form = ChecklistForm(meta={"csrf": False})  # CSRFProtect checks every post already
    problem = None
    if request.method == "POST":
        problem = _refusal(form, "title") if not form.validate() else None
        if problem is None:
            try:
                checklist = tasks.create_checklist(db.session, current_user, form.title.data or "",
                                                   form.pictogram.data or "1F4CB")
            except Invalid as refused:
                problem = refused
            else:
                return redirect(url_for("library.edit", checklist_id=checklist.id))
    return render("library/index.html", checklists=tasks.library(db.session, current_user),
                  error=problem and problem.message, title=form.title.data or "",
                  status=400 if problem else 200)


@bp.route("/<int:checklist_id>")
@require(Action.USE_LIBRARY)
def edit(checklist_id):
    """The editor: steps in order, a new step with a searched pictogram, and push."""
    return _editor(_checklist(checklist_id))


def _editor(checklist, status=200, step_error=None, push_error=None, title_form=None):
    version = checklist.versions[-1]
    # What was typed into the new step, cleaned by the form (a search keeps it).
    typed = StepForm(formdata=request.values, meta={"csrf": False})
    words = "\n".join(s.text + (". " + s.hint if s.hint else "") for s in version.steps)
    query = request.values.get("q", "").strip()
    followed = people.followed_workers(db.session, current_user) \
        if current_user.role == Role.SPECIALIST else []
    return render(
        "library/edit.html", checklist=checklist, version=version, status=status,
        report=readability.check(words), step_report=readability.check(typed.text.data or ""),
        typed=typed, title_form=title_form,
        query=query, results=pictogram_search.search(_index(), query) if query else [],
        step_error=step_error, push_error=push_error, workers=followed,
        same_picture=tasks.same_picture_as_before(list(version.steps)),
        weekdays=_weekday_names(), workplaces=db.session.scalars(
            select(Workplace).order_by(Workplace.name)).all(),
    )


def _weekday_names():
    from .views import weekday_names

    return weekday_names()


@bp.route("/<int:checklist_id>/settings", methods=["POST"])
@require(Action.USE_LIBRARY)
def settings(checklist_id):
    """Name, picture and workplace of the checklist."""
    checklist = _checklist(checklist_id)
    workplace = small_int(request.form.get("workplace", ""))
    form = ChecklistForm(meta={"csrf": False})
    try:
        if not form.validate():
            raise _refusal(form, "title")
        tasks.update_checklist(db.session, checklist, title=form.title.data or "",
                               pictogram=form.pictogram.data or "",
                               workplace_id=workplace or None)
    except Invalid as problem:
        db.session.rollback()
        return _editor(checklist, status=400, step_error=problem, title_form=form)
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
    """Add a step. 'Søk' finds pictograms and keeps what was typed; 'Legg til' saves the step."""
    checklist = _checklist(checklist_id)
    if request.form.get("action") == "search":
        return _editor(checklist)
    form = StepForm(meta={"csrf": False})
    try:
        if not form.validate():
            raise _refusal(form, "text")
        photo = None
        upload = request.files.get("photo")
        if upload and upload.filename:
            photo = photos.accept(upload.stream, photos.FolderStore(current_app.config["PHOTO_DIR"]))
        tasks.add_step(db.session, checklist, text=form.text.data or "",
                       pictogram=form.pictogram.data or "", hint=form.hint.data or "", photo=photo)
    except Invalid as problem:
        db.session.rollback()
        return _editor(checklist, status=400, step_error=problem)
    flash(_("Steget er lagt til."))
    return redirect(url_for("library.edit", checklist_id=checklist.id) + "#steps")


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
    """Give the checklist to some of the specialist's workers, once or on weekdays."""
    checklist = _checklist(checklist_id)
    ids = [small_int(i) for i in request.form.getlist("workers")]
    chosen = people.workers_by_id(db.session, [i for i in ids if i is not None])
    for worker in chosen:
        ensure(Action.PUSH_CHECKLIST, worker)
    weekdays = [small_int(d) for d in request.form.getlist("weekdays") if small_int(d) in range(7)]
    try:
        on_date = schedule.parse_date(request.form["on_date"], "on_date") \
            if request.form.get("on_date") else None
        made = tasks.push(db.session, checklist, workers=chosen, by=current_user, on_date=on_date,
                          weekdays=weekdays, every_shift=request.form.get("every_shift") == "1")
    except Invalid as problem:
        db.session.rollback()
        return _editor(tasks.get_checklist(db.session, checklist.id), status=400, push_error=problem)
    flash(ngettext("Oppgaven er sendt til %(num)s arbeidstaker.",
                   "Oppgaven er sendt til %(num)s arbeidstakere.", len(made)))
    return redirect(url_for("library.edit", checklist_id=checklist.id))

