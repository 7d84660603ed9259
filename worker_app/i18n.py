"""Template translations without Flask-Babel's lookups on every call.

Flask-Babel's template `_()` asks for the domain, the locale and the translations through
several context lookups on each call; a worker page says 30–40 of them, and that was a tenth of
its time. Here the translations are kept on Flask-Babel's own per-request context, next to the
locale they belong to: when the locale changes (`force_locale`, `refresh`), so does the object,
and the next call takes the slow path again.
"""

from __future__ import annotations

import flask_babel
from flask import g
from jinja2 import pass_eval_context
from markupsafe import Markup


def translations():
    ctx = g.get("_flask_babel")  # where Flask-Babel keeps this request's locale
    if ctx is not None:
        kept = getattr(ctx, "wa_translations", None)
        if kept is not None and kept[0] is getattr(ctx, "babel_locale", None):
            return kept[1]
    found = flask_babel.get_translations()
    ctx = g.get("_flask_babel")
    if ctx is not None and getattr(ctx, "babel_locale", None) is not None:
        ctx.wa_translations = (ctx.babel_locale, found)
    return found


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """A template's `_()`, as Jinja's newstyle gettext does it (escaped as Markup, always a
    format string), in one call: Jinja's own `_` is an alias that calls `gettext`, which calls
    the translation function, each through the template context (three calls for every `_()`,
    and a worker page says 30–40 of them)."""
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def install(app) -> None:
    """Replace the gettext callables Flask-Babel gave Jinja (call after babel.init_app)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext on the fast path (for code that runs many times a page)."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables
