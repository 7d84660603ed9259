"""What every request shares: who is signed in, the language, security headers, errors,
and rendering a page or one of its htmx blocks."""

from __future__ import annotations

import hashlib
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import wraps
from pathlib import Path

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import DBAPIError
from werkzeug import exceptions
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import pictograms, timewords
from .extensions import db, login_manager
from .models import Role, User
from .policy import Action, can
from .services import auth as auth_service
from .services import limits
from .services import site as site_service
from .services.errors import DeviceReused, DomainError, Invalid, NotAllowed, NotFound
from .services.parsing import small_int

DEVICE_COOKIE = "wa_device"
# A shared phone locks again after this long without use, when the worker has a picture code.
PICTURE_CODE_IDLE = timedelta(minutes=15)

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class IdConverter(IntegerConverter):
    """<int:...> in every route, bounded: a 20-digit id is a 404, never an overflow (500)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_user_from_device)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.unauthorized_handler(_unauthorized)

    app.url_defaults(static_version)
    app.before_request(_picture_code_lock)
    app.after_request(_after_request)
    # Registered last, so it runs first: the commit happens before any header is written.
    app.after_request(commit_request)
    app.context_processor(_template_context)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(Exception, _server_error)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["pictogram_src"] = pictograms.src
    app.jinja_env.globals["limits"] = limits  # maxlength="..." from the same constants
    timewords.register(app)


# Who is signed in ---------------------------------------------------------------------------


def load_user(user_id: str) -> User | None:
    raw_id, _, raw_version = user_id.partition(":")
    uid, version = small_int(raw_id), small_int(raw_version)
    if uid is None or version is None:
        return None
    found = auth_service.live_session(db.session, uid, version, session.get("sid"))
    if found is None:
        return None
    user, g.second_factor_passed = found  # admins need it (security.views)
    return user


def load_user_from_device(req) -> User | None:
    """A remembered phone: sign it back in from its device cookie (rotated on use)."""
    cookie = req.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        restored = auth_service.restore_device(
            db.session, cookie, current_app.config["DEVICE_LIFETIME"]
        )
    except DeviceReused:
        # A copied cookie: the device is signed out, whatever this request's answer is.
        db.session.commit()
        return None
    if restored is None:
        # Not deleted here: a parallel request may just have rotated it and set the new one.
        return None
    user, device, secret = restored
    start_session(user, device_id=device.id, locked=auth_service.has_picture_code(db.session, user))
    # A deliberate write outside the request's transaction (see GET_WRITES): the new secret and
    # the session are sent in this answer's cookies whatever the answer is, so they are kept at
    # once, before the view runs. Nothing else is pending here: this runs before the first view.
    db.session.commit()
    g.set_device_cookie = auth_service.device_cookie_value(device, secret)
    return user


def start_session(user: User, *, device_id: int | None = None, locked: bool = False) -> None:
    from flask_login import login_user

    session.clear()
    login_user(user)
    session["sid"] = auth_service.open_session(db.session, user, device_id)
    session["device_id"] = device_id
    session["has_code"] = locked
    session["locked"] = locked
    session["seen"] = _now_ts()


def set_device_cookie(response, value: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=int(current_app.config["DEVICE_LIFETIME"].total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def _now_ts() -> int:
    return int(datetime.now(UTC).timestamp())


class SignIn(StrEnum):
    """How the people of a blueprint's pages sign in; each blueprint says it (signs_in_with)."""

    PASSWORD = "password"  # staff: e-mail and password at /login, then back to the page
    LINK = "link"  # workers and support persons: no password; the page says how to get a link
    TOKEN = "token"  # the API: a bearer token with every request, never a session


def signs_in_with(blueprint: Blueprint, kind: SignIn) -> Blueprint:
    blueprint.sign_in = kind
    return blueprint


def _unauthorized():
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if blueprint is None or blueprint.sign_in is SignIn.PASSWORD:
        return redirect(url_for("auth.login", next=request.path))
    # Workers and support persons have no password: tell them how to get a link.
    return render_template("auth/signed_out.html"), 401


# Picture code ------------------------------------------------------------------------------

_OPEN_WHEN_LOCKED = {"auth.unlock", "auth.logout", "help.index", "static", "staff.components",
                     "organize.invite"}


def _picture_code_lock():
    # Static files and the health check answer without loading anyone (so without the database).
    if request.endpoint in ("static", "healthz"):
        return None
    # Load the user first: restoring a remembered device is what sets has_code and locked.
    if not current_user.is_authenticated or not session.get("has_code"):
        return None
    now = _now_ts()
    if now - session.get("seen", 0) > PICTURE_CODE_IDLE.total_seconds():
        session["locked"] = True
    if session.get("locked") and request.endpoint not in _OPEN_WHEN_LOCKED:
        return redirect(url_for("auth.unlock", next=request.full_path))
    session["seen"] = now
    return None


# Language -----------------------------------------------------------------------------------


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands and jobs speak the source language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        # Remembered in the session too, for an error page made when the database is away.
        if session.get("locale") != current_user.locale:
            session["locale"] = current_user.locale
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    # Browsers often say "no" for Norwegian; that is bokmål here.
    best = request.accept_languages.best_match([*languages, "no"], default="nb")
    return "nb" if best == "no" else best


# Responses ----------------------------------------------------------------------------------


def render(template: str, *, block: str | None = None, status: int = 200,
           fragment_only: bool = False, **context):
    """The whole page, or only `block` when htmx asks for it (or always, for a URL that only
    serves a fragment): one template, one source."""
    if block and (fragment_only or request.headers.get("HX-Request") == "true"):
        html = render_block(template, block, **context)
    else:
        html = render_template(template, **context)
    response = current_app.make_response((html, status))
    response.vary.add("HX-Request")
    return response


def require(action: Action):
    """Deny the view unless can(current_user, action) for an action about no one thing."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def ensure(action: Action, thing) -> None:
    if not can(current_user, action, thing):
        abort(403)


def home_url(user) -> str:
    if user is None or not user.is_authenticated:
        return url_for("auth.login")
    return {
        Role.WORKER: url_for("today.index"),
        Role.SUPPORT: url_for("support.index"),
        Role.SPECIALIST: url_for("staff.index"),
        Role.ORGANIZER: url_for("organize.index"),
        Role.ADMIN: url_for("admin.users"),
    }[Role(user.role)]


def external_url(endpoint: str, **values) -> str:
    """An absolute link for sharing (a sign-in link, a calendar or invitation address, a QR
    code): from BASE_URL, never from the Host header, which whoever sends the request chooses."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def buffer_static(response):
    """Read a (small) static file into memory before compression: Flask-Compress would
    otherwise stream it, without gzip and without closing the file. Werkzeug closes it here."""
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()
    return response


_static_hashes: dict[str, str] = {}


def static_version(endpoint: str, values: dict) -> None:
    """Add ?v=<content hash> to static URLs, so they can be cached for a year and still change
    the moment the file does. Hashed once per file per process."""
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    filename = values["filename"]
    if filename not in _static_hashes:
        path = Path(current_app.static_folder, filename)
        _static_hashes[filename] = (
            hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "")
    if _static_hashes[filename]:
        values["v"] = _static_hashes[filename]


# GET (and HEAD) requests don't write. The deliberate exceptions, and the only tables a GET may
# write (tests/web/test_transactions.py holds every page to this):
GET_WRITES = {
    # Every read of a worker's data is logged (the audit log): the entry is the read's trace.
    "audit_entry",
    # A remembered device gets a new secret each time it signs back in (reuse detection); the
    # rotation is committed at once, in load_user_from_device.
    "device",
    # ... and opens a server-side session for it (ended by "Logg ut").
    "user_session",
    # An API token's last use (at most once a minute), shown to its owner on API-nøkler.
    "api_token",
    # The first screen of a lesson marks it "Begynt": the worker's own progress, written once.
    "lesson_progress",
    # A specialist opening a worker's page marks the worker's help requests seen: the worker's
    # receipt then says "Kari har sett meldingen" (the same read is in the audit log).
    "help_request",
}


def keep_changes() -> None:
    """Commit this request's writes even though its answer is an error: a wrong picture code
    is a 400, and its count must still be kept."""
    g.keep_changes = True


def commit_request(response):
    """One transaction per request (the HTML pages and the API alike): services only flush;
    the request commits once, here, when the answer is a success or a redirect. An error answer
    (a form with a problem, a 403, a 409) rolls back whatever was flushed on the way, so a
    request never leaves half a change."""
    if response.status_code < 400 or g.get("keep_changes"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def refused(message) -> None:
    """A change refused, told on the page a redirect leads to. A redirect is a success for
    commit_request, so whatever the refused change flushed on the way is rolled back here."""
    from flask import flash

    db.session.rollback()
    flash(message)


def _after_request(response):
    if getattr(g, "set_device_cookie", None):
        set_device_cookie(response, g.set_device_cookie)
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["ENV_NAME"] == "production":
        # Production is HTTPS only (check_production): browsers must never try plain http.
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        if request.args.get("v"):
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
    elif "Cache-Control" not in headers:
        # Personal pages: never kept by a shared cache. (No ETag: every page carries a CSRF
        # token signed with the time, so its bytes change every second.)
        headers["Cache-Control"] = "private, no-cache"
    return response


def _safety():
    """The safety number for this page. When the database is down: the last number this
    process read (kept per language, refreshed on every good read), else SAFETY_NUMBER."""
    locale = g.get("locale_code", "nb")
    last_good = current_app.extensions.setdefault("last_safety", {})
    if not g.get("database_down"):
        try:
            row = site_service.settings(db.session, current_app.config["SAFETY_NUMBER"])
            last_good[locale] = row.safety_number, row.safety_text(locale)
            return last_good[locale]
        except Exception:  # the safety call must render even when the database does not
            db.session.rollback()
    return last_good.get(locale) or (current_app.config["SAFETY_NUMBER"], "")


def _template_context():
    from flask_babel import get_locale

    locale = str(get_locale() or "nb")
    g.locale_code = locale
    number, text = _safety()
    user = current_user if current_user and current_user.is_authenticated else None
    return {
        "locale": locale,
        "safety_number": number,
        "safety_tel": site_service.tel_href(number),
        "safety_readable": site_service.readable_number(number),
        "safety_text": text,
        "can": lambda action, thing=None: can(current_user, action, thing),
        "Action": Action,
        "viewer": user,
        "home_url": home_url(current_user),
        "today_in_words": lambda: timewords.day_words(datetime.now(UTC)),
    }


def _csrf_error(error):
    return _error_page(400, _("Siden var for gammel. Prøv en gang til."))


def _http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if _is_api():
        from .api.views import http_problem

        return http_problem(error)
    messages = {
        400: _("Noe var feil i det som ble sendt. Prøv en gang til."),
        401: _("Du må logge inn først."),
        403: _("Denne siden er ikke for deg."),
        404: _("Vi finner ikke denne siden."),
        405: _("Denne siden kan ikke brukes slik."),
        413: _("Det du sendte er for stort."),
        429: _("Du har prøvd mange ganger. Vent 1 minutt. Prøv så igjen."),
    }
    return _error_page(error.code, messages.get(error.code, _("Noe gikk galt.")))


def _domain_error(error: DomainError):
    """A rule a service enforces that no view answered itself, for the whole app: no such thing
    is a 404, not allowed a 403, input that breaks a rule a 400 (in the API: problem details,
    422 or 409, naming the field)."""
    if _is_api():
        from .api.views import domain_problem

        return domain_problem(error)
    if isinstance(error, NotFound):
        return _http_error(exceptions.NotFound())
    if isinstance(error, NotAllowed):
        return _http_error(exceptions.Forbidden())
    if isinstance(error, Invalid):
        return _error_page(400, str(error.message))
    return _http_error(exceptions.BadRequest())


def _server_error(error):
    if isinstance(error, HTTPException):
        return _http_error(error)
    current_app.logger.exception("Unhandled error")
    # The database is away: answer 503 without it. Who is signed in can't be loaded now, so
    # the page is made for no one in particular, in the language the session remembers.
    database_down = isinstance(error, DBAPIError)
    if database_down:
        g.database_down = True
        g._login_user = current_app.login_manager.anonymous_user()
    with suppress(Exception):  # a session that never reached the database has nothing to undo
        db.session.rollback()
    code = 503 if database_down else 500
    if _is_api():
        from .api.spec import problem_response

        return problem_response(code, "Service Unavailable" if database_down else "Internal Server Error")
    return _error_page(code, _("Noe gikk galt hos oss. Det er ikke din feil."),
                       home_url=url_for("today.index") if database_down else None)


def _is_api() -> bool:
    """API errors are problem details, also where no API route matched (an unknown path)."""
    return request.path.startswith("/api/")


def _error_page(code: int, message: str, home_url: str | None = None):
    extra = {"home_url": home_url} if home_url else {}
    try:
        html = render_template("errors/error.html", code=code, message=message, **extra)
    except Exception:  # a broken template must not hide the safety number
        number = current_app.config["SAFETY_NUMBER"]
        html = (f'<!doctype html><html lang="nb"><title>Feil</title><p>{message}</p>'
                f'<a href="{site_service.tel_href(number)}">Ring trygghets-nummeret</a>')
    return html, code
