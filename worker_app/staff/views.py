"""Staff pages: a specialist's workers, help requests, sign-in links and support links."""

import segno
from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db
from ..followup.page import caseload_trials, worker_page_context
from ..formtools import options
from ..models import HelpRequest, MasteryClaim, Permission, Role, User
from ..models.types import utcnow
from ..pages import checkin_caseload_words, checkin_trend, handover_page, permission_labels, weekday_names
from ..policy import Action, forget_cached_relations
from ..services import audit, consent, early_signs, erasure, learn, people, reach, schedule, sign_in_links, tasks
from ..services import auth as auth_service
from ..services import help as help_service
from ..services.errors import Invalid, NotFound
from ..services.limits import SIGN_NOTE_MAX
from ..timewords import holidays_left_free
from ..web import SignIn, ensure, external_url, render, require, signs_in_with
from .forms import ProposeSupportForm, RuleForm, ShiftForm, TravelForm
from .reach_page import page_context as reach_page

bp = signs_in_with(Blueprint("staff", __name__), SignIn.PASSWORD)


@bp.route("/staff")
@require(Action.SEE_CASELOAD)
def index():
    """Mine arbeidstakere: one row per worker, with open help requests."""
    return caseload_page(people.caseload(db.session, current_user))


def caseload_page(rows, status: int = 200, block: str | None = None, **extra):
    """Mine arbeidstakere (or its list alone); `extra` may hold a sign's form that keeps what
    was typed (signs.py)."""
    return render("staff/index.html", block=block, fragment_only=block is not None, status=status,
                  rows=rows, reasons=reason_names(), alerts=reach.alerts_for(db.session, current_user),
                  trials=caseload_trials(rows), erasure_asked=_asked(rows),
                  sign_form=sign_form_for(extra.get("sign_form")), sign_labels=early_signs.KIND_LABELS,
                  sign_pictograms=early_signs.PICTOGRAMS, sign_note_max=SIGN_NOTE_MAX,
                  **checkin_caseload_words())


def sign_form_for(typed=None):
    """The template's form for one sign: the one sent back with a problem, else None and the
    template writes the empty form as markup (a WTForms form per sign was half the page)."""
    def form(worker_id: int, kind: str):
        return typed if typed is not None and typed._prefix == f"sign-{worker_id}-{kind}-" else None
    return form


@bp.route("/staff/caseload")
@require(Action.SEE_CASELOAD)
def caseload():
    """The list of "Mine arbeidstakere" alone: the open page asks for it every 20 seconds, so a
    new help request shows up by itself. Not logged again: the page visit was."""
    return caseload_page(people.caseload(db.session, current_user, log=False), block="caseload")


def _asked(rows) -> set[int]:
    """The workers who asked for everything to be deleted: their specialist is told here (the
    caseload's own query says it)."""
    return {row.worker.id for row in rows if row.erasure_asked}


@bp.route("/staff/help/<int:request_id>/handled", methods=["POST"])
@login_required
def handle_help(request_id):
    """Mark a help request as handled; htmx swaps just that request."""
    help_request = db.session.get(HelpRequest, request_id)
    if help_request is None:
        abort(404)
    ensure(Action.HANDLE_HELP, help_request)
    help_service.mark_handled(db.session, help_request, current_user)
    if request.headers.get("HX-Request") == "true":
        return render("staff/index.html", block="help_request", req=help_request,
                      reasons=reason_names())
    return redirect(url_for("staff.index"))


@bp.route("/staff/workers/<int:worker_id>", methods=["GET"])
@login_required
def worker(worker_id):
    """One worker: help requests, support persons and what they may see, sign-in."""
    person = _worker_or_404(worker_id)
    ensure(Action.VIEW_WORKER, person)
    audit.record(db.session, current_user, "worker.view", person)
    help_service.mark_seen(db.session, person, current_user)
    return _worker_page(person)


@bp.route("/staff/workers/<int:worker_id>/help")
@login_required
def worker_help(worker_id):
    """The worker page's help requests alone, asked for every 20 seconds by the open page."""
    person = _worker_or_404(worker_id)
    ensure(Action.VIEW_WORKER, person)
    return render("staff/worker.html", block="help_list", fragment_only=True, person=person,
                  help_requests=help_service.latest_of_worker(db.session, person, limit=10),
                  reasons=reason_names())


def _worker_page(person: User, status: int = 200, **forms):
    """The worker page with its forms; a form given in `forms` keeps what was typed."""
    form = forms.get("form") or ProposeSupportForm()
    _fill_support_choices(form, person)
    rule_form = forms.get("rule_form") or RuleForm(prefix="rule")
    rule_form.weekdays.choices = options(enumerate(weekday_names()))
    travel_form = forms.get("travel_form") or TravelForm(data={
        "ready_minutes": person.ready_minutes, "travel_minutes": person.travel_minutes,
        "escalate_minutes": person.escalate_minutes})
    progress = tasks.progress_of(db.session, person)
    links = consent.links_of_worker(db.session, person)
    return render(
        "staff/worker.html", person=person, status=status, form=form, rule_form=rule_form,
        shift_form=forms.get("shift_form") or ShiftForm(prefix="shift"), travel_form=travel_form,
        links=links, open_sign_in_links=sign_in_links.open_links(
            db.session, current_user, [person, *(link.supporter for link in links)]),
        help_requests=help_service.latest_of_worker(db.session, person, limit=10),
        shifts=(shift_page := schedule.future_for_staff(
            db.session, person, utcnow(), after=schedule.read_page_token(request.args.get("shifts_after")))).items,
        next_shifts=schedule.page_token(shift_page.next_after), paged="shifts_after" in request.args,
        rules=schedule.rules_of(db.session, person), weekdays=weekday_names(), skipped_of=schedule.skipped_days,
        lessons=current_app.extensions["lessons"].values(),
        lesson_progress=learn.progress_of(db.session, person), state_of=learn.state_of,
        task_progress=progress, claims=tasks.open_claims(db.session, person),
        levels=tasks.levels_for(db.session, person, [
            step.key for item in progress for step in item.assignment.version.steps]),
        reasons=reason_names(), labels=permission_labels(for_worker=False),
        **reach_page(person, forms),
        **worker_page_context(person, forms),
        erasure_asked=bool(erasure.waiting_for_workers(db.session, [person.id])),
        **checkin_trend(person),
    )


def _apply(form, problem: Invalid) -> None:
    """Name the problem beside the field it belongs to."""
    field = getattr(form, problem.field or "", None) or next(iter(form))
    field.errors = [problem.message]


def _save_worker_form(person: User, form_key: str, form, save, anchor: str):
    """Run `save(form)` for a valid form; a rule broken is named beside its field and the page
    comes back with what was typed. `save` returns the message to flash."""
    if form.validate_on_submit():
        try:
            message = save(form)
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
        else:
            flash(message)
            return redirect(url_for("staff.worker", worker_id=person.id) + anchor)
    return _worker_page(person, status=400, **{form_key: form})


@bp.route("/staff/workers/<int:worker_id>/shifts", methods=["POST"])
@login_required
def add_shift(worker_id):
    """Add one shift."""
    person = _worker_or_404(worker_id)
    ensure(Action.MANAGE_SHIFTS, person)

    def save(form):
        schedule.add_shift(db.session, worker=person, by=current_user, day=form.day.data,
                           start=form.start.data, end=form.end.data, note=form.note.data or "")
        return _("Vakten er lagt til.")

    return _save_worker_form(person, "shift_form", ShiftForm(prefix="shift"), save, "#shifts")


@bp.route("/staff/workers/<int:worker_id>/shift-rules", methods=["POST"])
@login_required
def add_rule(worker_id):
    """Add a repeating shift, e.g. every Friday 09:00–12:00 until a date."""
    person = _worker_or_404(worker_id)
    ensure(Action.MANAGE_SHIFTS, person)
    rule_form = RuleForm(prefix="rule")
    rule_form.weekdays.choices = options(enumerate(weekday_names()))

    def save(form):
        rule, shifts = schedule.add_rule(
            db.session, worker=person, by=current_user, weekdays=form.weekdays.data,
            start=form.start.data, end=form.end.data, starts_on=form.starts_on.data,
            ends_on=form.ends_on.data or "", note=form.note.data or "", on_holidays=form.on_holidays.data)
        added = ngettext("%(num)s vakt er lagt til.", "%(num)s vakter er lagt til.", len(shifts))
        return f"{added} {holidays_left_free(schedule.skipped_days(rule))}".strip()

    return _save_worker_form(person, "rule_form", rule_form, save, "#shifts")


@bp.route("/staff/workers/<int:worker_id>/travel", methods=["POST"])
@login_required
def set_travel(worker_id):
    """The minutes the worker needs to get ready and to travel."""
    person = _worker_or_404(worker_id)
    ensure(Action.MANAGE_SHIFTS, person)

    def save(form):
        schedule.set_travel(db.session, person, by=current_user,
                            ready=form.ready_minutes.data or "", travel=form.travel_minutes.data or "",
                            escalate=form.escalate_minutes.data or "")
        return _("Reise-tiden er lagret.")

    return _save_worker_form(person, "travel_form", TravelForm(), save, "#travel")


@bp.route("/staff/workers/<int:worker_id>/lessons/<slug>/<any(recommend, together):what>",
          methods=["POST"])
@login_required
def lesson_action(worker_id, slug, what):
    """Anbefal: put a lesson on the worker's I dag. Gått gjennom sammen: done in a meeting."""
    person = _worker_or_404(worker_id)
    ensure(Action.FOLLOW_LESSONS, person)
    lesson = current_app.extensions["lessons"].get(slug)
    if lesson is None:
        abort(404)
    if what == "recommend":
        learn.recommend(db.session, current_user, person, lesson)
        flash(_("Leksjonen er anbefalt. Den vises på I dag."))
    else:
        learn.done_together(db.session, current_user, person, lesson)
        flash(_("Leksjonen er merket som gått gjennom sammen."))
    return redirect(url_for("staff.worker", worker_id=person.id) + "#lessons")


@bp.route("/staff/workers/<int:worker_id>/support-levels", methods=["POST"])
@login_required
def support_levels(worker_id):
    """Fading support: full, short or mastered, per step, for this worker."""
    person = _worker_or_404(worker_id)
    ensure(Action.FADE_SUPPORT, person)
    for field, level in request.form.items():
        if field.startswith("level-"):
            try:
                tasks.set_level(db.session, current_user, person, field[6:38], level)
            except Invalid:
                abort(400)
    flash(_("Støtte-nivåene er lagret."))
    return redirect(url_for("staff.worker", worker_id=person.id) + "#tasks")


@bp.route("/staff/claims/<int:claim_id>/<any(yes, no):answer>", methods=["POST"])
@login_required
def decide_claim(claim_id, answer):
    """The worker said "Jeg kan dette nå": confirm it (the step is then mastered), or not yet."""
    claim_row = db.session.get(MasteryClaim, claim_id)
    if claim_row is None:
        abort(404)
    person = _worker_or_404(claim_row.worker_id)
    ensure(Action.FADE_SUPPORT, person)
    tasks.decide(db.session, current_user, claim_row, confirmed=answer == "yes")
    return redirect(url_for("staff.worker", worker_id=person.id) + "#tasks")


@bp.route("/staff/workers/<int:worker_id>/calendar/renew", methods=["POST"])
@login_required
def renew_calendar(worker_id):
    """Give the worker a new secret calendar address, e.g. when the old one was shared."""
    person = _worker_or_404(worker_id)
    ensure(Action.RENEW_CALENDAR, person)
    schedule.renew_calendar(db.session, person)
    audit.record(db.session, current_user, "calendar.renew", person)
    flash(_("Arbeidstakeren har fått en ny kalender-lenke. Den gamle virker ikke lenger."))
    return redirect(url_for("staff.worker", worker_id=person.id) + "#shifts")


def _fill_support_choices(form: ProposeSupportForm, person: User) -> None:
    known = people.support_persons_of(db.session, [person.id])
    form.supporter.choices = options([(0, _("Velg …"))] + [(u.id, u.name) for u in known])
    form.permissions.choices = options(
        (p.value, label) for p, label in permission_labels(for_worker=False).items())


@bp.route("/staff/workers/<int:worker_id>/support", methods=["POST"])
@login_required
def propose_support(worker_id):
    """Suggest a support person; nothing is shared until the worker says yes."""
    person = _worker_or_404(worker_id)
    ensure(Action.PROPOSE_SUPPORT, person)
    form = ProposeSupportForm()
    _fill_support_choices(form, person)
    if form.validate_on_submit():
        try:
            supporter = _chosen_supporter(form)
            consent.propose_support_link(
                db.session, worker=person, supporter=supporter, relation=form.relation.data or "",
                permissions=[Permission(p) for p in form.permissions.data],
                proposed_by=current_user,
            )
        except Invalid as problem:
            getattr(form, problem.field or "supporter").errors = [problem.message]
        else:
            forget_cached_relations()
            flash(_("Forslaget er sendt. %(name)s må si ja i appen.", name=person.first_name))
            return redirect(url_for("staff.worker", worker_id=person.id))
    return _worker_page(person, status=400, form=form)


def _chosen_supporter(form: ProposeSupportForm) -> User:
    if form.new_name.data and form.new_name.data.strip():
        return people.save_user(db.session, actor=current_user, user=None,
                                name=form.new_name.data, role=Role.SUPPORT)
    if form.supporter.data:
        try:
            return people.get_user(db.session, form.supporter.data, Role.SUPPORT)
        except NotFound:
            pass
    raise Invalid(_("Velg en støtteperson, eller skriv navnet på en ny."), field="supporter")


@bp.route("/staff/people/<int:user_id>/sign-in-link", methods=["POST"])
@login_required
def sign_in_link(user_id):
    """Make a single-use sign-in link, shown as a big QR code and as text to copy."""
    person = people.get_user(db.session, user_id)
    ensure(Action.MAKE_SIGN_IN_LINK, person)
    lifetime = current_app.config["SIGN_IN_LINK_LIFETIME"]
    link, token = auth_service.make_sign_in_link(db.session, person, current_user, lifetime)
    # A support person's link opens what every worker they help shares: it concerns each one.
    audit.record_each(db.session, current_user, "signin_link.create",
                      [person] if person.role == Role.WORKER else people.workers_helped_by(db.session, person),
                      person.name)
    url = external_url("auth.signin", token=token)
    qr = segno.make(url, error="m")
    # segno writes plain SVG paths with no inline style, so it passes the strict CSP.
    svg = Markup(qr.svg_inline(scale=8, dark="#000", light="#fff", omitsize=True))
    return render("staff/sign_in_link.html", person=person, url=url, qr_svg=svg, link=link)


@bp.route("/staff/people/<int:user_id>/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_person(user_id):
    """End every device of a worker or support person, e.g. when a phone is lost."""
    person = people.get_user(db.session, user_id)
    ensure(Action.SIGN_OUT_EVERYWHERE, person)
    auth_service.sign_out_everywhere(db.session, person)
    if person.id != current_user.id:
        audit.record(db.session, current_user, "person.sign_out", person, person.name)
    flash(_("%(name)s er logget ut på alle telefoner.", name=person.name))
    return redirect(url_for("auth.signed_out") if person.id == current_user.id else
                    url_for("staff.worker", worker_id=person.id) if person.role == Role.WORKER
                    else url_for("admin.users") if current_user.role == Role.ADMIN
                    else url_for("staff.index"))


@bp.route("/components")
def components():
    """Every component together, so that one axe run checks them all."""
    from ..auth.forms import LoginForm

    form = LoginForm(meta={"csrf": False})
    form.validate()
    return render("staff/components.html", form=form)


def _worker_or_404(worker_id: int) -> User:
    return people.get_user(db.session, worker_id, Role.WORKER)


def reason_names() -> dict[str, str]:
    from ..pages import reason_labels

    return reason_labels()


@bp.route("/staff/handover", methods=["GET", "POST"])
@require(Action.SEE_CASELOAD)
def handover():
    """The specialist hands all her workers to another specialist (leaving, a long leave)."""
    return handover_page(current_user)
