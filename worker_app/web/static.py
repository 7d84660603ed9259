"""Static files: a content hash in their URLs (cached for a year), and read into memory
before compression."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, request, url_for


def buffer_static(response):
    """Read a (small) static file into memory before compression: Flask-Compress would
    otherwise stream it, without gzip and without closing the file. The file is closed at once,
    not when the answer is: a server may skip closing an answer whose client went away
    (Werkzeug's test server does, when the client resets while it drains the request)."""
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        file = response.response
        try:
            body = b"".join(file)
        finally:
            if hasattr(file, "close"):
                file.close()
        response.direct_passthrough = False
        response.set_data(body)
    return response


_static_hashes: dict[str, str] = {}


def static_version(endpoint: str, values: dict) -> None:
    """Add ?v=<content hash> to static URLs, so they can be cached for a year and still change
    the moment the file does. Hashed once per file per process."""
    if endpoint != "static" or "filename" not in values or "v" in values:
        return
    filename = values["filename"]
    if filename not in _static_hashes:
        path = Path(current_app.static_folder, filename)
        _static_hashes[filename] = (
            hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "")
    if _static_hashes[filename]:
        values["v"] = _static_hashes[filename]


_constant_urls: dict[tuple, str] = {}


def template_url_for(endpoint: str, **values) -> str:
    """url_for for templates, kept per process where the answer can't change: a page with no
    values in its address (the navigation, Hjelp, Innstillinger) or a static file (its hash
    comes from static_version). A worker page asks about 25 of these, and building each cost
    more than the rest of its tag. Everything else (ids, "." endpoints, _external) goes to
    url_for as it is."""
    constant = not endpoint.startswith(".") and (
        not values or (endpoint == "static" and values.keys() == {"filename"}))
    if not constant:
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, values.get("filename"))
    if key not in _constant_urls:
        _constant_urls[key] = url_for(endpoint, **values)
    return _constant_urls[key]
