"""The picture code: a shared phone locks again after a while without use, when the worker
has a picture code; while locked, only the unlock page (and what must stay open) answers."""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, request, session, url_for
from flask_login import current_user

from .signin import _now_ts

# A shared phone locks again after this long without use, when the worker has a picture code.
PICTURE_CODE_IDLE = timedelta(minutes=15)

_OPEN_WHEN_LOCKED = {"auth.unlock", "auth.logout", "help.index", "static", "staff.components",
                     "organize.invite"}


def picture_code_lock():
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
