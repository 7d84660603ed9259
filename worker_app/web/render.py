"""Answering a view: a page or one of its htmx blocks, the permission checks a view asks
before it starts, and the links it gives (home, and absolute links for sharing)."""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from ..models import Role
from ..policy import Action, can


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
    return url_for(_HOME[Role(user.role)])


# Every page asks for its person's home link (the template context): one url_for, not five.
_HOME = {
    Role.WORKER: "today.index",
    Role.SUPPORT: "support.index",
    Role.SPECIALIST: "staff.index",
    Role.ORGANIZER: "organize.index",
    Role.ADMIN: "admin.users",
}


def external_url(endpoint: str, **values) -> str:
    """An absolute link for sharing (a sign-in link, a calendar or invitation address, a QR
    code): from BASE_URL, never from the Host header, which whoever sends the request chooses."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)
