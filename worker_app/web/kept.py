"""Parts of the frame rendered once and kept, like Django's {% cache %} with its vary-on list.

The worker frame (the safety call, read-aloud, Hjelp, Innstillinger, the navigation) is the same
on every page for everyone with the same language and the same few values, and rendering it was
a fifth of a worker page's time. A template wraps such a part in

    {% call kept("worker-nav", nav_current) %}...{% endcall %}

and names, after the part's name, every value its HTML depends on besides the language and the
app's address, which are added here. Nothing expires: a changed value (a new safety number) is a
new key, so the page shows it at once. Only for HTML with no per-request value in it (no CSRF
token, no time, no person's data beyond what the key names).
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

# A few dozen keys in use (3 languages x 7 navigation states x a handful of frames); the bound
# only matters if a key ever takes arbitrary values.
MAX_KEPT = 512


def kept(name: str, *vary, caller) -> Markup:
    # Kept per app (each test's app starts empty), read through one lookup.
    store: dict[tuple, Markup] = current_app.extensions.setdefault("kept_html", {})
    key = (name, request.script_root, str(get_locale()), *vary)
    html = store.get(key)
    if html is None:
        if len(store) >= MAX_KEPT:
            store.clear()
        html = store[key] = Markup(caller())
    return html
