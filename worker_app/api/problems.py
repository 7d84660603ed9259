"""Errors as RFC 9457 problem details under /api: a service's domain errors (the same rule and
message as in the app) and the HTTP errors Flask or an extension raise."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..services.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from .spec import problem_response


def domain_problem(error: DomainError):
    """A rule a service enforces, as problem details: the same rule, and message, as in the app.
    (Called by the app-wide handler of domain errors, web.errors.domain_error.)"""
    if isinstance(error, NotFound):
        return problem_response(404, TITLES[404])
    if isinstance(error, NotAllowed):
        return problem_response(403, TITLES[403])
    if isinstance(error, Invalid):
        status = 409 if isinstance(error, Conflict) else 422
        field = error.field or ""
        if not field:
            where = {}
        elif request.method == "GET":  # no body: the field is a query parameter
            where = {"parameter": field}
        else:
            where = {"pointer": field if field.startswith("/") else f"/{field}"}
        return problem_response(status, TITLES[status], str(error.message),
                                [{**where, "detail": str(error.message)}])
    return problem_response(422, TITLES[422], str(error))


def http_problem(error: HTTPException):
    """Errors Flask or an extension raise (404, 405, 413, 429) as problem details."""
    code = error.code or 500
    if isinstance(error, MethodNotAllowed) and not _exists_for_any_method(error.valid_methods or []):
        # Werkzeug checks the method before an id's bounds: PATCH /shifts/<an id out of range>
        # would be a 405 because GET /shifts/<id> exists. There is no such shift: a 404.
        code = 404
    return problem_response(code, TITLES.get(code, error.name),
                            None if code != error.code else error.description)


def _exists_for_any_method(methods: list[str]) -> bool:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in methods:
        try:
            adapter.match(method=method)
            return True
        except HTTPException:
            continue
    return False


TITLES = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           409: "Conflict", 413: "Content Too Large", 422: "Unprocessable Content", 429: "Too Many Requests",
           500: "Internal Server Error"}
