"""Access logs without secrets: a sign-in, calendar or invitation address is as good as a key,
so the token in its path is masked before a log line is written."""

from __future__ import annotations

import logging
import re

# The paths whose last segment is a secret (see the routes of auth, schedule and organize).
_SECRET_PATH = re.compile(r"(/(?:signin|invite|calendar)/)[^/\s?\"]+?(\.ics)?(?=[\s?\"/]|$)")


def mask(text: str) -> str:
    return _SECRET_PATH.sub(lambda m: f"{m.group(1)}***{m.group(2) or ''}", text)


class MaskTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def init_app(app) -> None:
    # The dev server's and gunicorn's access loggers; the filter is added once per process.
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskTokens) for f in logger.filters):
            logger.addFilter(MaskTokens())
