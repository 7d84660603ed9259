"""Logs without secrets or personal data: a sign-in, calendar or invitation address is as good
as a key, so the token in its path is masked; a database error is written without the values."""

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
    # The app's own log, where an unhandled error is written with its traceback.
    if not any(isinstance(f, RedactDatabaseErrors) for f in app.logger.filters):
        app.logger.addFilter(RedactDatabaseErrors())


class RedactDatabaseErrors(logging.Filter):
    """A database error's message can carry the values of the row (PostgreSQL's "DETAIL: Key
    (email)=(…) already exists", or the bad input itself): in the log it keeps its traceback,
    its statement (never its parameters: hide_parameters) and what failed, never the values."""

    def filter(self, record: logging.LogRecord) -> bool:
        from sqlalchemy.exc import DBAPIError

        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, DBAPIError):
            record.exc_info = (DatabaseError, DatabaseError(describe(error)), record.exc_info[2])
            record.exc_text = None
        return True


class DatabaseError(Exception):
    """What a logged database error says, without the values."""


def describe(error) -> str:
    orig = error.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: the SQLSTATE and the names of what failed, no values
        parts = [f"sqlstate {getattr(orig, 'sqlstate', None)}"] + [
            f"{name} {getattr(diag, name)}" for name in ("table_name", "column_name", "constraint_name")
            if getattr(diag, name, None)]
    else:  # SQLite names the constraint and column only
        parts = [str(orig).splitlines()[0] if str(orig) else ""]
    return f"{type(orig).__name__}: {', '.join(parts)}\n[SQL: {error.statement}]"
