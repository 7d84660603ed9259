"""Rate-limit keys for the sign-in paths. Each path is limited per client address (the
limiter's default key) and per account, so that spreading tries over many addresses gains
nothing: the e-mail typed (normalised) for a password, the person a sign-in link is for, the
person whose picture code is tried. The calendar feed is limited per feed instead: a calendar
provider fetches the feeds of many people from one address."""

from __future__ import annotations

import hashlib
import unicodedata

from flask import current_app, request
from flask_login import current_user

from ..extensions import db
from ..services import auth as auth_service


def _digest(value: str) -> str:
    # The store (Redis) sees a hash, never an e-mail address or a secret.
    return hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:32]


def normal_email(value: str) -> str:
    """The account an e-mail names, however it is spelled (case, spaces, Unicode forms)."""
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def login_account() -> str:
    return "account:login:" + _digest(normal_email(request.form.get("email", "")))


def sign_in_link_owner() -> str:
    owner = auth_service.sign_in_link_owner(db.session, (request.view_args or {}).get("token", ""))
    # Unknown links share one count: only guessers use them, and they get nothing either way.
    return f"account:link:{owner if owner is not None else 'unknown'}"


def picture_code_account() -> str:
    return f"account:picture-code:{current_user.get_id()}"


def calendar_feed() -> str:
    return "feed:calendar:" + _digest((request.view_args or {}).get("token", ""))


def account_limit() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"]


def failed(response) -> bool:
    """Counts a try that did not sign in (a refused form is a 400)."""
    return response.status_code == 400


def unknown_feed(response) -> bool:
    return response.status_code == 404
