"""Les høyt on phones without a Norwegian voice: the page's words as an MP3, made on demand."""

import subprocess
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, request, send_file, url_for
from flask_babel import get_locale
from flask_login import login_required

from ..extensions import limiter
from ..services import read_aloud
from ..services.errors import Invalid
from ..web import SignIn, signs_in_with

bp = signs_in_with(Blueprint("read_aloud", __name__), SignIn.LINK)


def _folder() -> Path:
    return Path(current_app.config["READ_ALOUD_DIR"])


@bp.route("/read-aloud", methods=["POST"])
@login_required
@limiter.limit("30 per minute")
def make():
    """Answers {"url": ...} of the MP3 that reads the posted text (the page's title and main)."""
    locale = request.form.get("lang") or str(get_locale() or "nb")
    try:
        key = read_aloud.audio_for(_folder(), request.form.get("text", ""), locale,
                                   current_app.config["READ_ALOUD_MAX_BYTES"])
    except Invalid:
        abort(400)
    except (RuntimeError, subprocess.SubprocessError, OSError):
        current_app.logger.exception("read-aloud audio failed")
        abort(503)  # the browser then says so in words, as before
    return jsonify(url=url_for("read_aloud.audio", key=key))


@bp.route("/read-aloud/<key>.mp3")
@login_required
def audio(key):
    path = read_aloud.path_of(_folder(), key)
    if path is None:
        abort(404)
    return send_file(path, mimetype="audio/mpeg", max_age=3600)
