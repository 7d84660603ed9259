"""Static files: a content hash in their URLs (cached for a year), and read into memory
before compression."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, request


def buffer_static(response):
    """Read a (small) static file into memory before compression: Flask-Compress would
    otherwise stream it, without gzip and without closing the file. Werkzeug closes it here."""
    if request.endpoint == "static" and response.status_code == 200 and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()
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
