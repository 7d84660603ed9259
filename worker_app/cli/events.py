"""flask events: jobs for events."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models.types import utcnow
from .transaction import one_transaction


@click.group("events")
def events_group() -> None:
    """Jobs for events."""


@events_group.command("purge-guests")
@with_appcontext
@one_transaction
def purge_guests() -> None:
    """Delete guests' names and phone numbers once their event is over (run daily)."""
    from ..services import guests

    click.echo(f"guests deleted: {guests.purge_guests(db.session, utcnow())}")
