"""Who is signed in: a session from a password or a sign-in link, a remembered phone's device
cookie, and what a signed-out visitor is told (each blueprint says how its people sign in)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from ..extensions import db
from ..models import User
from ..services import auth as auth_service
from ..services.errors import DeviceReused
from ..services.parsing import small_int

DEVICE_COOKIE = "wa_device"


def load_user(user_id: str) -> User | None:
    raw_id, _, raw_version = user_id.partition(":")
    uid, version = small_int(raw_id), small_int(raw_version)
    if uid is None or version is None:
        return None
    found = auth_service.live_session(db.session, uid, version, session.get("sid"))
    if found is None:
        return None
    g.second_factor_passed = found.second_factor_passed  # admins need it (security.views)
    g.safety_columns = found.safety  # the safety number, read in the same query
    return found.user


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


def unauthorized():
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if blueprint is None or blueprint.sign_in is SignIn.PASSWORD:
        return redirect(url_for("auth.login", next=request.path))
    # Workers and support persons have no password: tell them how to get a link.
    return render_template("auth/signed_out.html"), 401
