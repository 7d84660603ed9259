"""What every template knows: the language, the safety number (also when the database is
away), can(), who is looking, and the home link."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, g
from flask_login import current_user

from .. import timewords
from ..extensions import db
from ..policy import Action, can
from ..services import site as site_service
from .render import home_url


def _safety():
    """The safety number for this page. When the database is down: the last number this
    process read (kept per language, refreshed on every good read), else SAFETY_NUMBER."""
    locale = g.get("locale_code", "nb")
    last_good = current_app.extensions.setdefault("last_safety", {})
    if not g.get("database_down"):
        try:
            default = current_app.config["SAFETY_NUMBER"]
            # A signed-in page read it with the session (web.signin), in the same query.
            found = (site_service.safety_or_default(g.safety_columns, default) if "safety_columns" in g
                     else site_service.safety(db.session, default))
            last_good[locale] = found.number, found.text(locale)
            return last_good[locale]
        except Exception:  # the safety call must render even when the database does not
            db.session.rollback()
    return last_good.get(locale) or (current_app.config["SAFETY_NUMBER"], "")


def template_context():
    from flask_babel import get_locale

    locale = str(get_locale() or "nb")
    g.locale_code = locale
    number, text = _safety()
    # The person itself, not the proxy: a page asks for them dozens of times.
    person = current_user._get_current_object()
    user = person if person is not None and person.is_authenticated else None
    return {
        "locale": locale,
        "safety_number": number,
        "safety_tel": site_service.tel_href(number),
        "safety_readable": site_service.readable_number(number),
        "safety_text": text,
        "can": lambda action, thing=None: can(person, action, thing),
        "Action": Action,
        "viewer": user,
        "home_url": home_url(person),
        "today_in_words": lambda: timewords.day_words(datetime.now(UTC)),
    }
