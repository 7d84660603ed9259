"""A repeat rule's own page, on the staff blueprint (endpoints staff.*): change its days, times
and last day, or end it. Only shifts still to come change; the worker gets one notice.
Imported by create_app before the blueprint is registered, as staff/shift_pages.py."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..extensions import db
from ..formtools import options
from ..models import ShiftRule
from ..models.types import utcnow
from ..pages import weekday_names
from ..policy import Action
from ..services import audit, schedule
from ..services.errors import Invalid
from ..timewords import holidays_left_free
from ..web import ensure, render
from .forms import RuleEditForm, RuleEndForm
from .views import _apply, bp


@bp.route("/staff/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@login_required
def edit_rule(rule_id):
    """Change a repeat rule for the shifts still to come."""
    rule = _rule_or_404(rule_id)
    form = RuleEditForm(prefix="rule", data={
        "weekdays": [int(d) for d in rule.weekdays], "start": rule.start_time, "end": rule.end_time,
        "ends_on": rule.ends_on.isoformat(), "on_holidays": rule.on_holidays})
    form.weekdays.choices = options(enumerate(weekday_names()))
    if request.method == "GET":
        audit.record(db.session, current_user, "shift_rule.view", rule_worker(rule), str(rule.id))
    if form.validate_on_submit():
        try:
            shifts = schedule.change_rule(
                db.session, rule, by=current_user, weekdays=form.weekdays.data, start=form.start.data,
                end=form.end.data, ends_on=form.ends_on.data, on_holidays=form.on_holidays.data, now=utcnow())
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
        else:
            if shifts is None:
                flash(_("Ingenting er endret."))
            else:
                changed = ngettext("De faste vaktene er endret. %(num)s vakt kommer. Arbeidstakeren får beskjed.",
                                   "De faste vaktene er endret. %(num)s vakter kommer. Arbeidstakeren får beskjed.",
                                   len(shifts))
                flash(f"{changed} {holidays_left_free(schedule.skipped_days(rule))}".strip())
            return redirect(url_for("staff.worker", worker_id=rule.worker_id) + "#shifts")
    return _page(rule, form, RuleEndForm(prefix="end"), 400 if form.errors else 200)


@bp.route("/staff/rules/<int:rule_id>/end", methods=["POST"])
@login_required
def end_rule(rule_id):
    """End a repeat rule from a day: its shifts from then on are taken away."""
    rule = _rule_or_404(rule_id)
    form = RuleEndForm(prefix="end")
    if form.validate_on_submit():
        try:
            removed = schedule.end_rule(db.session, rule, by=current_user, from_day=form.from_day.data,
                                        now=utcnow())
        except Invalid as problem:
            db.session.rollback()
            _apply(form, problem)
        else:
            flash(ngettext("De faste vaktene er avsluttet. %(num)s vakt er tatt bort. Arbeidstakeren får beskjed.",
                           "De faste vaktene er avsluttet. %(num)s vakter er tatt bort. Arbeidstakeren får beskjed.",
                           removed))
            return redirect(url_for("staff.worker", worker_id=rule.worker_id) + "#shifts")
    edit = RuleEditForm(prefix="rule", formdata=None, data={
        "weekdays": [int(d) for d in rule.weekdays], "start": rule.start_time, "end": rule.end_time,
        "ends_on": rule.ends_on.isoformat(), "on_holidays": rule.on_holidays})
    edit.weekdays.choices = options(enumerate(weekday_names()))
    return _page(rule, edit, form, 400)


def _page(rule: ShiftRule, form, end_form, status: int):
    return render("staff/edit_rule.html", rule=rule, person=rule_worker(rule), form=form, end_form=end_form,
                  weekdays=weekday_names(), skipped=schedule.skipped_days(rule), status=status)


def rule_worker(rule: ShiftRule):
    return schedule.rules.rule_worker(db.session, rule)


def _rule_or_404(rule_id: int) -> ShiftRule:
    rule = schedule.get_rule(db.session, rule_id)
    if rule is None:
        abort(404)
    ensure(Action.MANAGE_SHIFTS, rule_worker(rule))
    return rule
