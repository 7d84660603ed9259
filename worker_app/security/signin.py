"""The second factor's part in signing in with a password (called by the auth blueprint)."""

from __future__ import annotations

from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..models import Role
from ..services import second_factor as mfa


def after_password(user):
    """Called by the sign-in with a password: with a second factor, only a half session so far,
    and the second step next; without one, a calm offer (admins are sent to enrol anyway)."""
    if mfa.has_second_factor(db.session, user):
        mfa.require_second_step(db.session, session["sid"])
        return redirect(url_for("security.second_step", next=request.values.get("next") or None))
    if user.role != Role.ADMIN:
        flash(_("Tips: Gjør innloggingen tryggere med en passnøkkel eller en kode-app. "
                "Se «Innlogging og sikkerhet» under Innstillinger."))
    return None
