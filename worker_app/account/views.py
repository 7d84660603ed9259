"""Innstillinger and "Hvem ser hva?": what the signed-in person chooses for themselves."""

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.forms import PictureCodeForm
from ..extensions import db
from ..models import Permission
from ..pages import permission_labels, picture_choices
from ..policy import Action, can
from ..services import auth as auth_service
from ..services import consent, reminders
from ..services.errors import Invalid
from ..web import SignIn, refused, render, require, signs_in_with
from .forms import SettingsForm

bp = signs_in_with(Blueprint("account", __name__), SignIn.LINK)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Innstillinger: language, text size, read-aloud, and checklists as steps or a list."""
    user = current_user
    form = SettingsForm(data={
        "locale": user.locale,
        "text_size": user.text_size,
        "read_aloud": "on" if user.read_aloud else "off",
        "checklist_mode": user.checklist_mode,
    })
    if not can(user, Action.USE_WORKER_APP):
        del form.checklist_mode
    if form.validate_on_submit():
        user.locale = form.locale.data
        user.text_size = form.text_size.data
        user.read_aloud = form.read_aloud.data == "on"
        if "checklist_mode" in form:
            user.checklist_mode = form.checklist_mode.data
        flash(_("Lagret."))
        return redirect(url_for("account.settings"))
    return render(
        "account/settings.html", form=form, status=400 if form.errors else 200,
        has_code=can(user, Action.USE_WORKER_APP) and auth_service.has_picture_code(db.session, user),
        reminder_kinds=reminder_labels(user), is_on=lambda kind: reminders.is_on(user, kind),
        devices=reminders.device_count(db.session, user),
        vapid_public=current_app.config.get("VAPID_PUBLIC_KEY") or "",
    )


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


@bp.route("/settings/picture-code", methods=["GET", "POST"])
@require(Action.USE_WORKER_APP)
def picture_code():
    """Choose or remove the three pictures that unlock the app on a shared phone."""
    form = PictureCodeForm()
    form.pictures.choices = picture_choices()
    status = 200
    if request.method == "POST":
        if request.form.get("remove"):
            auth_service.remove_picture_code(db.session, current_user)
            session["has_code"] = session["locked"] = False
            flash(_("Bilde-koden er fjernet."))
            return redirect(url_for("account.settings"))
        try:
            form.validate()
            auth_service.set_picture_code(
                db.session, current_user, form.pictures.data or [],
                [choice.value for choice in form.pictures.choices],
            )
        except Invalid as problem:
            form.pictures.errors = [problem.message]
            status = 400
        else:
            session["has_code"] = True
            flash(_("Bilde-koden er lagret. Husk de 3 bildene."))
            return redirect(url_for("account.settings"))
    has_code = auth_service.has_picture_code(db.session, current_user)
    return render("account/picture_code.html", form=form, has_code=has_code, status=status)


@bp.route("/sharing")
@require(Action.USE_WORKER_APP)
def sharing():
    """Hvem ser hva? Who sees what, with a button to stop each one."""
    links = consent.links_of_worker(db.session, current_user)
    return render("account/sharing.html", links=links, labels=permission_labels(),
                  devices=auth_service.active_devices(db.session, current_user),
                  this_device=session.get("device_id"), device_kinds=device_kinds(),
                  device_kind=auth_service.device_kind)


@bp.route("/sharing/devices/<int:device_id>/sign-out", methods=["POST"])
@require(Action.USE_WORKER_APP)
def sign_out_device(device_id):
    """'Logg ut denne': sign one of the worker's other phones or computers out."""
    auth_service.sign_out_device(db.session, current_user, device_id)  # someone else's: a 404
    flash(_("Den er logget ut. Den trenger en ny lenke for å logge inn igjen."))
    return redirect(url_for("account.sharing"))


def device_kinds() -> dict[str, tuple[str, str]]:
    """A device's kind in words, with its pictogram."""
    return {"iphone": (_("iPhone"), "phone"), "ipad": (_("iPad"), "phone"),
            "android": (_("Android-telefon"), "phone"), "android_tablet": (_("Android-nettbrett"), "phone"),
            "computer": (_("PC"), "computer")}


@bp.route("/sharing/<int:link_id>/answer", methods=["POST"])
@require(Action.USE_WORKER_APP)
def answer(link_id):
    """The worker says yes or no to what a support person asks to see."""
    try:
        if request.form.get("answer") == "yes":
            consent.confirm(db.session, current_user, link_id,
                            shown=request.form.get("shown", "").split(","))
            flash(_("Du har sagt ja."))
        else:
            consent.decline(db.session, current_user, link_id)
            flash(_("Du har sagt nei."))
    except Invalid as problem:
        refused(problem.message)
    return redirect(url_for("account.sharing"))


@bp.route("/sharing/<int:link_id>/stop/<permission>", methods=["GET", "POST"])
@require(Action.USE_WORKER_APP)
def stop(link_id, permission):
    """Stop one thing a support person may see. Asks first."""
    try:
        permission = Permission(permission)
    except ValueError:
        abort(404)
    links = {link.id: link for link in consent.links_of_worker(db.session, current_user)}
    link = links.get(link_id)
    if link is None or not getattr(link, permission.value):
        abort(404)
    if request.method == "POST":
        consent.stop_permission(db.session, current_user, link_id, permission)
        flash(_("Nå kan %(name)s ikke se dette lenger.", name=link.supporter.first_name))
        return redirect(url_for("account.sharing"))
    return render("account/stop.html", link=link, permission=permission,
                  label=permission_labels()[permission])

