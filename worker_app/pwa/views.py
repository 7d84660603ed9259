"""The installable app: manifest, service worker, the offline pages, and the two response
headers that tell the service worker what it may keep.

Privacy is decided here, on the server, not in the service worker: it keeps a page only when
the answer says `X-Offline-Cache: 1`, which only the worker's own pages listed in
OFFLINE_ENDPOINTS get. Every answer says whose it is (`X-Offline-Person`); when that changes
(another person, signed out, "Logg ut overalt", a locked picture code), the service worker
deletes every page it kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from ..extensions import db
from ..models import Role
from ..models.types import utcnow
from ..policy import Action
from ..services import schedule, tasks
from ..web import SignIn, render, require, signs_in_with

bp = signs_in_with(Blueprint("pwa", __name__), SignIn.LINK)

# The worker pages kept for offline use (network first, the last copy when there is no net).
OFFLINE_ENDPOINTS = frozenset({
    "today.index", "schedule.index", "tasks.index", "tasks.show", "tasks.step", "tasks.finished",
    "help.index", "help.ask", "account.settings", "account.sharing",
    "pwa.offline", "pwa.help_queued",
})
NO_PERSON = "none"

# The service worker's own source (ours) and the Workbox modules it loads (from npm, copied
# into static/vendor at set-up). Their content hashes make the service worker's version.
SW_SOURCE = "js/sw.js"
SW_PUSH = "js/sw-push.js"
WORKBOX = ("workbox-core", "workbox-routing", "workbox-strategies", "workbox-expiration",
           "workbox-background-sync", "workbox-range-requests")


def person_key(user) -> str:
    """Who the cached pages belong to, without saying who that is: changes with "Logg ut
    overalt" (session_version), so the phone notices it on its next contact."""
    message = f"{user.id}:{user.session_version}".encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), message, hashlib.sha256).hexdigest()[:24]


def offline_headers(response):
    """After every request: whose answer this is, and whether the phone may keep it. An
    error of ours (5xx, e.g. the database away) says nothing: the kept pages stay."""
    if request.endpoint in ("static", "healthz") or response.status_code >= 500:
        return response
    user = current_user if current_user and current_user.is_authenticated else None
    worker = user is not None and user.role == Role.WORKER and not session.get("locked")
    response.headers["X-Offline-Person"] = person_key(user) if worker else NO_PERSON
    if (worker and request.method == "GET" and response.status_code == 200
            and request.endpoint in OFFLINE_ENDPOINTS and request.headers.get("HX-Request") != "true"):
        response.headers["X-Offline-Cache"] = "1"
    return response


bp.after_app_request(offline_headers)
# The time a page was made, for the "Dette er fra kl. 08:12." line of a kept copy.
bp.app_context_processor(lambda: {"offline_now": utcnow})


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest: the app's name, colours and home-screen icons."""
    icon = lambda name, size, purpose: {  # noqa: E731
        "src": url_for("static", filename=f"vendor/icons/{name}"), "sizes": f"{size}x{size}",
        "type": "image/png", "purpose": purpose}
    body = {
        "name": "Arbeidsdagen",
        "short_name": "Arbeidsdagen",
        "description": _("Din arbeids-dag: vakter, oppgaver og hjelp."),
        "lang": str(get_locale() or "nb"),
        "dir": "ltr",
        "id": "/",
        "start_url": url_for("today.index"),
        "scope": "/",
        "display": "standalone",
        # --bg and --primary in static/css/app.css
        "background_color": "#ffffff",
        "theme_color": "#0b3a75",
        "icons": [icon("icon-192.png", 192, "any"), icon("icon-512.png", 512, "any"),
                  icon("icon-maskable-512.png", 512, "maskable")],
    }
    response = current_app.response_class(json.dumps(body, ensure_ascii=False),
                                          mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def _static_url(filename: str) -> str:
    return url_for("static", filename=filename)


@bp.route("/sw.js")
def service_worker():
    """The service worker, from the site root so that it may look after every page. Its first
    line names the content hashes of everything it runs, so any change makes a new version
    that replaces the old one on the next visit."""
    static = Path(current_app.static_folder)
    config = {
        "workbox": [_static_url(f"vendor/workbox/{name}.js") for name in WORKBOX],
        "push": _static_url(SW_PUSH) if (static / SW_PUSH).is_file() else None,
        "offline": url_for("pwa.offline"),
        "helpQueued": url_for("pwa.help_queued"),
        "warmList": url_for("pwa.warm_list"),
        "token": url_for("pwa.token"),
        "today": url_for("today.index"),
    }
    config["version"] = hashlib.sha256(json.dumps(
        [config, (static / SW_SOURCE).read_bytes().decode()]).encode()).hexdigest()[:12]
    source = (static / SW_SOURCE).read_text()
    body = f"self.WA = {json.dumps(config)};\n{source}"
    response = current_app.response_class(body, mimetype="text/javascript")
    # Browsers check for a new service worker on each visit; never serve them a stale one.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline")
def offline():
    """Shown by the service worker for a page the phone has not kept: what works without net."""
    return render("pwa/offline.html")


@bp.route("/offline/help")
@require(Action.ASK_FOR_HELP)
def help_queued():
    """Shown by the service worker when "Jeg trenger hjelp" is sent without net."""
    return render("pwa/help_queued.html", nav_current="help")


@bp.route("/offline/pages")
@require(Action.USE_WORKER_APP)
def warm_list():
    """The pages the service worker fetches and keeps when I dag opens: a worker who only
    opened I dag can still run today's and tomorrow's checklists without net."""
    today = schedule.oslo(utcnow()).date()
    urls = [url_for("today.index"), url_for("schedule.index"), url_for("tasks.index"),
            url_for("help.index"), url_for("help.ask"), url_for("account.settings"),
            url_for("account.sharing"), url_for("pwa.offline"), url_for("pwa.help_queued")]
    # A fixed number of queries however many checklists: two days, and one for support levels.
    assignments = {}
    for day in (today, today + timedelta(days=1)):
        for task in tasks.for_day(db.session, current_user, day):
            assignments.setdefault(task.assignment.id, task.assignment)
    levels = tasks.levels_for(db.session, current_user, [
        s.key for a in assignments.values() for s in a.version.steps])
    for assignment in assignments.values():
        urls.append(url_for("tasks.show", assignment_id=assignment.id))
        urls += [url_for("tasks.step", assignment_id=assignment.id, position=s.position)
                 for s in tasks.shown_steps(assignment.version.steps, levels)]
    response = jsonify(urls=urls)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/offline/token")
@require(Action.USE_WORKER_APP)
def token():
    """A fresh CSRF token for ticks sent again after the phone was offline: the page they were
    made on may be older than this session. Readable only by this site's own scripts."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
