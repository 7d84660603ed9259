"""The language of a page: the worker's own choice, else the session's, else the browser's."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user


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
