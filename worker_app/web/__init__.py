"""What every request shares: who is signed in, the language, security headers, errors,
and rendering a page or one of its htmx blocks. One module per job; the names views and tests
use are re-exported here, so `from worker_app import web; web.render(...)` works."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from .. import pictograms, timewords
from ..extensions import login_manager
from ..services import limits
from ..services.errors import DomainError
from .context import template_context
from .errors import csrf_error, domain_error, http_error, server_error
from .headers import CSP, after_request
from .kept import kept
from .locale import select_locale
from .lock import PICTURE_CODE_IDLE, picture_code_lock
from .render import ensure, external_url, home_url, render, require
from .signin import (
    DEVICE_COOKIE,
    SignIn,
    load_user,
    load_user_from_device,
    set_device_cookie,
    signs_in_with,
    start_session,
    unauthorized,
)
from .static import buffer_static, static_version, template_url_for
from .transaction import GET_WRITES, commit_request, keep_changes, refused

__all__ = [
    "CSP", "DEVICE_COOKIE", "GET_WRITES", "PICTURE_CODE_IDLE", "IdConverter", "SignIn",
    "buffer_static", "commit_request", "ensure", "external_url", "home_url", "init_app",
    "keep_changes", "load_user", "load_user_from_device", "refused", "render", "require",
    "select_locale", "set_device_cookie", "signs_in_with", "start_session", "static_version",
]


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
    login_manager.unauthorized_handler(unauthorized)

    app.url_defaults(static_version)
    app.before_request(picture_code_lock)
    app.after_request(after_request)
    # Registered last, so it runs first: the commit happens before any header is written.
    app.after_request(commit_request)
    app.context_processor(template_context)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(Exception, server_error)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["pictogram_src"] = pictograms.src
    app.jinja_env.globals["pictogram_img"] = pictograms.img
    app.jinja_env.globals["url_for"] = template_url_for
    app.jinja_env.globals["limits"] = limits  # maxlength="..." from the same constants
    app.jinja_env.globals["kept"] = kept  # parts of the frame rendered once (web/kept.py)
    timewords.register(app)
    from ..services import reach

    app.jinja_env.globals.update(phone_readable=reach.readable, phone_tel=reach.tel)  # "Ring Ola"
