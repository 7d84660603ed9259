"""Innlogging og sikkerhet: a staff member's second factor (passkeys, a code app, recovery
codes), the second step of signing in, and an admin's reset for someone who lost every factor."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import Blueprint, current_app, flash, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ..extensions import db, limiter
from ..models import Role
from ..pages import safe_next
from ..policy import Action
from ..services import passkeys, people
from ..services import second_factor as mfa
from ..services.errors import Invalid
from ..web import SignIn, ensure, home_url, keep_changes, render, require, signs_in_with
from .forms import PasskeyNameForm, RecoveryCodeForm, TotpCodeForm

bp = signs_in_with(Blueprint("security", __name__), SignIn.PASSWORD)

# What an admin without a second factor may still open: enrolling one, signing out, help.
_OPEN_WITHOUT_SECOND_FACTOR = {
    "security.index", "security.passkey_options", "security.add_passkey", "security.start_totp",
    "security.totp", "security.new_codes", "security.second_step", "security.login_options",
    "security.login_passkey", "auth.login", "auth.logout", "auth.signed_out", "auth.logout_everywhere",
    "help.index", "staff.components", "static", "healthz",
}


@bp.before_app_request
def _admin_needs_second_factor():
    """Admins hold everyone's data: without a second factor passed in this session, every page
    but enrolment sends them to enrol one."""
    if request.endpoint in _OPEN_WITHOUT_SECOND_FACTOR or request.blueprint in ("api", "pwa"):
        return None
    if not current_user.is_authenticated or current_user.role != Role.ADMIN:
        return None
    if g.get("second_factor_passed"):
        return None
    return redirect(url_for("security.index", next=request.full_path.rstrip("?")))


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def _account_key() -> str:
    """Per account, whatever the address: the signed session names the person (also a half
    session, whose person is not yet signed in)."""
    raw = str(session.get("_user_id", "")).partition(":")[0]
    return f"second-factor:{raw}" if raw else f"second-factor-addr:{request.remote_addr}"


def _relying_party() -> tuple[str, str]:
    """The WebAuthn RP id and origin, from BASE_URL, never from the Host header."""
    parts = urlsplit(current_app.config["BASE_URL"])
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


# The page --------------------------------------------------------------------------------------


@bp.route("/account/security")
@require(Action.MANAGE_SECOND_FACTOR)
def index():
    """Innlogging og sikkerhet: passkeys, the code app and recovery codes."""
    return _index_page(PasskeyNameForm())


def _index_page(form, status=200):
    return render("security/index.html", factors=mfa.factors(db.session, current_user), form=form,
                  must_enrol=current_user.role == Role.ADMIN and not g.get("second_factor_passed"),
                  next_url=safe_next(""), status=status)


@bp.route("/account/security/passkeys/options", methods=["POST"])
@require(Action.MANAGE_SECOND_FACTOR)
def passkey_options():
    """The options (with a new challenge for this session) for registering a passkey."""
    rp_id, _origin = _relying_party()
    options = passkeys.registration_options(db.session, current_user, session.get("sid"), rp_id)
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/account/security/passkeys", methods=["POST"])
@require(Action.MANAGE_SECOND_FACTOR)
@limiter.limit(_sign_in_limit, key_func=_account_key)
def add_passkey():
    """Keep the passkey the browser made, under the name the person gave it."""
    rp_id, origin = _relying_party()
    body = request.get_json(silent=True) or {}
    try:
        first = not mfa.has_second_factor(db.session, current_user)
        key = passkeys.register_passkey(db.session, current_user, session.get("sid"),
                                   str(body.get("credential") or ""), str(body.get("name") or ""),
                                   rp_id, origin)
    except Invalid as problem:
        keep_changes()  # the challenge stays used up
        return jsonify(error=str(problem.message), field=problem.field), 400
    # Making it proves the person holds it: this session has passed a second factor.
    mfa.pass_second_factor(db.session, session.get("sid"))
    flash(_("Passnøkkelen «%(name)s» er lagt til.", name=key.name))
    return jsonify(ok=True, make_codes=first and mfa.factors(db.session, current_user).recovery_left == 0,
                   next=safe_next(url_for("security.index")))


@bp.route("/account/security/passkeys/<int:passkey_id>/remove", methods=["POST"])
@require(Action.MANAGE_SECOND_FACTOR)
def remove_passkey(passkey_id):
    """Remove one of your own passkeys."""
    passkeys.remove_passkey(db.session, current_user, passkey_id)
    flash(_("Passnøkkelen er fjernet."))
    return redirect(url_for("security.index"))


@bp.route("/account/security/totp/start", methods=["POST"])
@require(Action.MANAGE_SECOND_FACTOR)
def start_totp():
    """Make a new code-app secret; it counts once a code from the app confirms it."""
    mfa.start_totp(db.session, current_user, current_app.config["SECRET_KEY"])
    return redirect(url_for("security.totp", next=safe_next("") or None))


@bp.route("/account/security/totp", methods=["GET", "POST"])
@require(Action.MANAGE_SECOND_FACTOR)
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_account_key)
def totp():
    """Set up the code app: the secret as a QR code and as text, then one code to confirm it."""
    secret_key = current_app.config["SECRET_KEY"]
    secret = mfa.pending_totp_secret(db.session, current_user, secret_key)
    if secret is None:
        return redirect(url_for("security.index"))
    form = TotpCodeForm()
    status = 200
    if form.validate_on_submit():
        if mfa.confirm_totp(db.session, current_user, form.code.data, secret_key):
            mfa.pass_second_factor(db.session, session.get("sid"))
            flash(_("Kode-appen er lagt til."))
            if mfa.factors(db.session, current_user).recovery_left == 0:
                return _codes_page(mfa.new_recovery_codes(db.session, current_user))
            return redirect(safe_next(url_for("security.index")))
        form.code.errors = [_("Koden stemmer ikke. Skriv koden appen viser nå.")]
    if form.errors:
        status = 400
    qr = segno.make(mfa.totp_uri(secret, current_user), error="m")
    # segno writes plain SVG paths with no inline style, so it passes the strict CSP.
    svg = Markup(qr.svg_inline(scale=6, dark="#000", light="#fff", omitsize=True))
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    response = render("security/totp.html", form=form, qr_svg=svg, secret=grouped, status=status)
    response.headers["Cache-Control"] = "no-store"  # the secret: kept in no cache
    return response


@bp.route("/account/security/totp/remove", methods=["POST"])
@require(Action.MANAGE_SECOND_FACTOR)
def remove_totp():
    """Stop using the code app."""
    mfa.remove_totp(db.session, current_user)
    flash(_("Kode-appen er fjernet."))
    return redirect(url_for("security.index"))


@bp.route("/account/security/recovery-codes", methods=["POST"])
@require(Action.MANAGE_SECOND_FACTOR)
def new_codes():
    """Ten new recovery codes, shown this once; the old ones end."""
    if not mfa.has_second_factor(db.session, current_user):
        return redirect(url_for("security.index"))
    return _codes_page(mfa.new_recovery_codes(db.session, current_user))


def _codes_page(codes: list[str]):
    response = render("security/codes.html", codes=codes, next_url=safe_next(url_for("security.index")))
    response.headers["Cache-Control"] = "no-store"  # shown once: not kept in any cache
    return response


# The second step of signing in ----------------------------------------------------------------


def _pending():
    return mfa.pending_user(db.session, session.get("sid"))


@bp.route("/login/second-step", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], key_func=_account_key)
def second_step():
    """After the password: a passkey, a code from the code app, or a recovery code."""
    user = _pending()
    if user is None:
        return redirect(home_url(current_user) if current_user.is_authenticated else url_for("auth.login"))
    factors = mfa.factors(db.session, user)
    totp_form, recovery_form = TotpCodeForm(), RecoveryCodeForm()
    status = 200
    if request.method == "POST":
        secret_key = current_app.config["SECRET_KEY"]
        if "recovery_code" in request.form:
            form, method = recovery_form, "recovery_code"
            ok = form.validate() and mfa.use_recovery_code(db.session, user, form.recovery_code.data)
            problem = _("Reserve-koden stemmer ikke, eller den er brukt før.")
        else:
            form, method = totp_form, "totp"
            ok = form.validate() and mfa.check_totp(db.session, user, form.code.data, secret_key)
            problem = _("Koden stemmer ikke, eller den er brukt før. Vent på en ny kode.")
        if ok:
            mfa.signed_in(db.session, user, session.get("sid"), method)
            return redirect(safe_next(home_url(user)))
        if not form.errors:
            form[method if method == "recovery_code" else "code"].errors = [problem]
        mfa.failed(db.session, user, method)
        keep_changes()  # the failed try is in the audit log
        status = 400
    return render("security/second_step.html", person=user, factors=factors, totp_form=totp_form,
                  recovery_form=recovery_form, status=status)


@bp.route("/login/second-step/passkey/options", methods=["POST"])
def login_options():
    """The options (a new challenge for this half session) for signing in with a passkey."""
    user = _pending()
    if user is None:
        return jsonify(error=_("Logg inn med passordet først.")), 401
    rp_id, _origin = _relying_party()
    options = passkeys.authentication_options(db.session, user, session.get("sid"), rp_id)
    return current_app.response_class(options, mimetype="application/json")


@bp.route("/login/second-step/passkey", methods=["POST"])
@limiter.limit(_sign_in_limit)
@limiter.limit(_sign_in_limit, key_func=_account_key)
def login_passkey():
    """Check the passkey's answer; the session is then fully signed in."""
    user = _pending()
    if user is None:
        return jsonify(error=_("Logg inn med passordet først.")), 401
    rp_id, origin = _relying_party()
    body = request.get_json(silent=True) or {}
    try:
        key = passkeys.check_passkey(db.session, user, session.get("sid"), str(body.get("credential") or ""),
                                rp_id, origin)
    except Invalid as problem:
        mfa.failed(db.session, user, "passkey")
        keep_changes()  # the failed try is logged, and the challenge stays used up
        return jsonify(error=str(problem.message)), 400
    mfa.signed_in(db.session, user, session.get("sid"), f"passkey {key.name}")
    return jsonify(ok=True, next=safe_next(home_url(user)))


# Losing every factor --------------------------------------------------------------------------


@bp.route("/admin/users/<int:user_id>/second-factor/reset", methods=["POST"])
@login_required
def reset(user_id):
    """An admin clears a staff member's second factor and ends their sessions."""
    person = people.get_user(db.session, user_id)
    ensure(Action.RESET_SECOND_FACTOR, person)
    mfa.reset(db.session, current_user, person)
    flash(_("Andre steg for %(name)s er nullstilt. %(name)s er logget ut overalt.", name=person.name))
    return redirect(url_for("admin.edit_user", user_id=person.id))
