"""Error pages: HTTP errors, domain errors (NotFound is a 404, NotAllowed a 403, Invalid a 400)
and unexpected ones (503 when the database is away), as pages or, under /api, problem details."""

from __future__ import annotations

from contextlib import suppress

from flask import current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from werkzeug import exceptions
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..services import site as site_service
from ..services.errors import DomainError, Invalid, NotAllowed, NotFound


def csrf_error(error):
    return _error_page(400, _("Siden var for gammel. Prøv en gang til."))


def http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    if _is_api():
        from ..api.problems import http_problem

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


def domain_error(error: DomainError):
    """A rule a service enforces that no view answered itself, for the whole app: no such thing
    is a 404, not allowed a 403, input that breaks a rule a 400 (in the API: problem details,
    422 or 409, naming the field)."""
    if _is_api():
        from ..api.problems import domain_problem

        return domain_problem(error)
    if isinstance(error, NotFound):
        return http_error(exceptions.NotFound())
    if isinstance(error, NotAllowed):
        return http_error(exceptions.Forbidden())
    if isinstance(error, Invalid):
        return _error_page(400, str(error.message))
    return http_error(exceptions.BadRequest())


def server_error(error):
    if isinstance(error, HTTPException):
        return http_error(error)
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
        from ..api.spec import problem_response

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
