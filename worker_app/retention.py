"""`flask retention run`: delete what must not be kept for ever.

- Audit entries older than AUDIT_RETENTION_DAYS (default 730: two years).
- Help requests (their reasons are "syk", "lei meg", "utrygg") once handled more than
  HELP_RETENTION_DAYS ago (default 365), and unanswered ones once that old, so no reason is
  kept for ever.

Run daily (README). Safe to run again and on several machines at once: it deletes by age, and a
second run finds nothing. It deletes in batches, each its own transaction, so a first run over
years of rows holds no lock for long; a batch that fails keeps nothing, and the batches before
it stay done (they are deletions that would be made again by the next run anyway).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, or_, select

from .extensions import db
from .models import AuditEntry, HelpRequest, Reminder
from .models.types import utcnow

BATCH = 1000


def _batches(ids_statement, delete_rows, batch: int) -> int:
    """Delete by batches of ids, committing each: returns how many rows went."""
    total = 0
    while True:
        ids = list(db.session.scalars(ids_statement.limit(batch)))
        if not ids:
            return total
        try:
            delete_rows(ids)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        total += len(ids)


def purge_audit(now: datetime, days: int, batch: int = BATCH) -> int:
    cutoff = now - timedelta(days=days)
    return _batches(
        select(AuditEntry.id).where(AuditEntry.at < cutoff).order_by(AuditEntry.id),
        lambda ids: db.session.execute(delete(AuditEntry).where(AuditEntry.id.in_(ids))),
        batch)


def purge_help(now: datetime, days: int, batch: int = BATCH) -> int:
    cutoff = now - timedelta(days=days)

    def remove(ids):
        # Reminders about a request go with it (the foreign key says so; SQLite may not enforce it).
        db.session.execute(delete(Reminder).where(Reminder.help_request_id.in_(ids)))
        db.session.execute(delete(HelpRequest).where(HelpRequest.id.in_(ids)))

    return _batches(
        select(HelpRequest.id).where(or_(
            HelpRequest.handled_at < cutoff,
            HelpRequest.handled_at.is_(None) & (HelpRequest.created_at < cutoff)))
        .order_by(HelpRequest.id),
        remove, batch)


@click.group("retention")
def retention_group() -> None:
    """Retention: delete old audit entries and help requests."""


@retention_group.command("run")
@click.option("--batch", type=click.IntRange(min=1), default=BATCH, show_default=True)
@with_appcontext
def run(batch: int) -> None:
    """Delete audit entries and help requests older than their retention time."""
    now = utcnow()
    audit_d, help_d = current_app.config["AUDIT_RETENTION_DAYS"], current_app.config["HELP_RETENTION_DAYS"]
    audit_n = purge_audit(now, audit_d, batch)
    help_n = purge_help(now, help_d, batch)
    click.echo(f"audit entries deleted: {audit_n} (older than {audit_d} days)")
    click.echo(f"help requests deleted: {help_n} (older than {help_d} days)")
