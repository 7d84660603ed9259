"""The transaction boundary: one transaction per request, committed once when the answer is a
success, and the tables a GET request may write."""

from __future__ import annotations

from flask import g

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
