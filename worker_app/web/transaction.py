"""The transaction boundary: one transaction per request, committed once when the answer is a
success, and the tables a GET request may write."""

from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy import event

from ..extensions import db

# GET (and HEAD) requests don't write. The deliberate exceptions, and the only tables a GET may
# write (tests/web/test_transactions.py holds every page to this):
GET_WRITES = {
    # Every read of a worker's data is logged (the audit log): the entry is the read's trace.
    "audit_entry",
    # A remembered device gets a new secret each time it signs back in (reuse detection); the
    # rotation is committed at once, in load_user_from_device.
    "device",
    # ... and opens a server-side session for it (ended by "Logg ut").
    "user_session",
    # An API token's last use (at most once a minute), shown to its owner on API-nøkler.
    "api_token",
    # The first screen of a lesson marks it "Begynt": the worker's own progress, written once.
    "lesson_progress",
    # A specialist opening a worker's page marks the worker's help requests seen: the worker's
    # receipt then says "Kari har sett meldingen" (the same read is in the audit log).
    "help_request",
}


def keep_changes() -> None:
    """Commit this request's writes even though its answer is an error: a wrong picture code
    is a 400, and its count must still be kept."""
    g.keep_changes = True


def commit_request(response):
    """One transaction per request (the HTML pages and the API alike): services only flush;
    the request commits once, here, when the answer is a success or a redirect. An error answer
    (a form with a problem, a 403, a 409) rolls back whatever was flushed on the way, so a
    request never leaves half a change."""
    if response.status_code < 400 or g.get("keep_changes"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def refused(message) -> None:
    """A change refused, told on the page a redirect leads to. A redirect is a success for
    commit_request, so whatever the refused change flushed on the way is rolled back here."""
    from flask import flash

    db.session.rollback()
    flash(message)


def begin_at_the_first_write(engine) -> None:
    """A GET or HEAD request reads outside a transaction; its first write begins one, which
    commit_request then commits or rolls back as for any request. So a page that only reads
    costs no BEGIN and no COMMIT, and a page that writes still keeps all of it or nothing.

    SQLite: pysqlite already works this way, for every request: it begins a transaction before
    a write, not before a read (and before a savepoint, services.locking.savepoint begins it).

    PostgreSQL: psycopg begins before a connection's first statement, so a page that only read
    paid two round trips to the database for nothing (under READ COMMITTED each statement takes
    its own snapshot, in a transaction or not). A GET's connection is in autocommit until a
    statement that is not a plain SELECT. Other requests, and work outside a request (the CLI,
    the reminder sender's locking SELECT), begin at their first statement as before."""
    if engine.dialect.name != "postgresql":
        return  # and no listener at all: any engine event costs every statement a little

    @event.listens_for(engine, "checkout")
    def _autocommit_for_reads(dbapi_connection, _record, _proxy):
        if has_request_context() and request.method in ("GET", "HEAD") and _idle(dbapi_connection):
            dbapi_connection.autocommit = True

    @event.listens_for(engine, "before_cursor_execute")
    def _begin_before_writing(connection, _cursor, statement, _parameters, _context, _many):
        driver = connection.connection.dbapi_connection
        if driver.autocommit and not _plain_select(statement) and _idle(driver):
            driver.autocommit = False  # psycopg sends BEGIN before this statement

    @event.listens_for(engine, "checkin")
    def _transactions_again(dbapi_connection, _record):
        if dbapi_connection is not None and dbapi_connection.autocommit and _idle(dbapi_connection):
            dbapi_connection.autocommit = False


def _idle(driver) -> bool:
    # The only state in which psycopg lets autocommit change. A connection that broke (the
    # database went away) is left as it is: its next statement fails as it would have anyway.
    return not driver.closed and driver.info.transaction_status.name == "IDLE"


def _plain_select(statement: str) -> bool:
    """A statement that neither writes nor locks."""
    return (statement.lstrip()[:6].upper() == "SELECT"
            and " FOR UPDATE" not in statement and " FOR SHARE" not in statement)
