"""Signing in and out: staff with a password; workers and support persons with a link."""

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..extensions import db, limiter
from ..pages import picture_choices, safe_next
from ..services import audit, reminders
from ..services import auth as auth_service
from ..services.errors import SignInLinkInvalid
from ..web import DEVICE_COOKIE, SignIn, home_url, keep_changes, render, set_device_cookie, signs_in_with, start_session
from . import ratelimits as per
from .forms import LoginForm, PictureCodeForm

bp = signs_in_with(Blueprint("auth", __name__), SignIn.LINK)


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(per.account_limit, methods=["POST"], key_func=per.login_account, deduct_when=per.failed)
def login():
    """Staff sign in with e-mail and password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = auth_service.authenticate_staff(db.session, form.email.data, form.password.data)
        audit.login(db.session, current_app.config["SECRET_KEY"], form.email.data, user,
                    request.remote_addr or "")
        if user:
            start_session(user)
            from ..security.signin import after_password

            return after_password(user) or redirect(safe_next(home_url(user)))
        keep_changes()  # the answer is a 400, and the failed try must stay on record
        form.password.errors = [_("E-post eller passord er feil.")]
        status = 400
    elif form.errors:
        status = 400
    return render("auth/login.html", form=form, status=status)


@bp.route("/signin/<token>")
def signin(token):
    """Show who the link is for, with one button; the link is spent only by the button.

    Phones and chat apps open links to make previews; a GET must not use up the link.
    """
    try:
        link = auth_service.check_sign_in_link(db.session, token)
    except SignInLinkInvalid as problem:
        return _link_problem(problem.kind)
    return render("auth/signin.html", person=link.user, token=token)


@bp.route("/signin/<token>", methods=["POST"])
@limiter.limit(_sign_in_limit)
@limiter.limit(per.account_limit, key_func=per.sign_in_link_owner)
def signin_use(token):
    """Spend the sign-in link and remember this device."""
    try:
        user, device, secret = auth_service.use_sign_in_link(
            db.session, token,
            device_label=request.user_agent.string[:120],
            device_lifetime=current_app.config["DEVICE_LIFETIME"],
        )
    except SignInLinkInvalid as problem:
        # A spent or made-up link pressed is a security event (a copied link, someone guessing).
        audit.record(db.session, None, "signin_link.refused", None,
                     f"{problem.kind}, from {request.remote_addr or ''}")
        keep_changes()
        return _link_problem(problem.kind)
    start_session(user, device_id=device.id, locked=False)
    audit.record(db.session, user, "signin_link.use", user, device.label[:60])
    session["has_code"] = auth_service.has_picture_code(db.session, user)
    if auth_service.take_reuse_warning(db.session, user):
        flash(_("Vi har logget ut en annen telefon. Den brukte en kopi av inn-loggingen din. "
                "Snakk med jobb-spesialisten hvis du ikke vet hvorfor."))
    response = redirect(home_url(user))
    set_device_cookie(response, auth_service.device_cookie_value(device, secret))
    return response


def _link_problem(kind: str):
    status = 404 if kind == "unknown" else 410
    return render("auth/link_problem.html", kind=kind, status=status)


def _signed_out():
    """End this browser's session (for every copy of its cookie) and forget its device cookie."""
    auth_service.end_session(db.session, session.get("sid"))
    logout_user()
    session.clear()
    response = redirect(url_for("auth.signed_out"))
    response.delete_cookie(DEVICE_COOKIE)
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign this device out."""
    if current_user.is_authenticated:
        reminders.forget_devices(db.session, current_user, device_id=session.get("device_id"),
                                 subscription_ids=session.get("push_ids"))
    auth_service.forget_device(db.session, session.get("device_id"))
    return _signed_out()


@bp.route("/signed-out")
def signed_out():
    """What a signed-out person sees: how to get in again."""
    return render("auth/signed_out.html")


@bp.route("/logout-everywhere", methods=["GET", "POST"])
@login_required
def logout_everywhere():
    """Sign out on every phone and computer: asks first, then ends every session."""
    if request.method == "POST":
        reminders.forget_devices(db.session, current_user, everywhere=True)
        auth_service.sign_out_everywhere(db.session, current_user)
        return _signed_out()
    return render("auth/logout_everywhere.html")


@bp.route("/unlock", methods=["GET", "POST"])
@login_required
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(per.account_limit, methods=["POST"], key_func=per.picture_code_account)
def unlock():
    """Unlock a shared phone with the worker's three pictures."""
    form = PictureCodeForm()
    form.pictures.choices = picture_choices()
    status = 200
    if request.method == "POST":
        if form.validate() and auth_service.check_picture_code(
            db.session, current_user, form.pictures.data
        ):
            session["locked"] = False
            auth_service.right_picture_code(db.session, session.get("device_id"))
            return redirect(safe_next(home_url(current_user)))
        tries = auth_service.wrong_picture_code(db.session, session.get("device_id"))
        if tries >= current_app.config["PICTURE_CODE_TRIES"]:
            # Guessing all 84 choices must not work: this phone now needs a new link.
            auth_service.forget_device(db.session, session.get("device_id"))
            # No actor: whoever pressed the pictures is not known (maybe not the worker).
            audit.record(db.session, None, "picture_code.locked", current_user, f"after {tries} tries")
            return _signed_out()
        keep_changes()  # the answer is a 400, and the try must still count
        form.pictures.errors = [_("Det var ikke de riktige bildene. Prøv igjen.")]
        status = 400
    return render("auth/unlock.html", form=form, status=status)

