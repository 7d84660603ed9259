"""flask reminders: Web Push keys, and sending what is due."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..models.types import utcnow


@click.group("reminders")
def reminders_group() -> None:
    """Reminders: Web Push keys, and sending what is due."""


@reminders_group.command("keys")
@with_appcontext
def reminders_keys() -> None:
    """Make a VAPID key pair in instance/vapid.json for a local run (kept when it exists)."""
    import json

    from cryptography.hazmat.primitives import serialization
    from py_vapid import Vapid, b64urlencode

    path = Path(current_app.instance_path) / "vapid.json"
    if path.is_file():
        click.echo(f"Web Push keys: {path.name} (kept)")
        return
    vapid = Vapid()
    vapid.generate_keys()
    private = b64urlencode(vapid.private_key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64urlencode(vapid.public_key.public_bytes(serialization.Encoding.X962,
                                                        serialization.PublicFormat.UncompressedPoint))
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps({"private": private, "public": public}))
    path.chmod(0o600)
    click.echo(f"Web Push keys: {path.name} (new)")


@reminders_group.command("send")
@click.option("--batch", default=100, show_default=True, help="Reminders claimed at a time.")
@click.option("--max-batches", default=20, show_default=True, help="Stop after this many batches.")
@with_appcontext
def reminders_send(batch: int, max_batches: int) -> None:
    """Record the moments that have come and send what is due. Run it every minute (cron or a
    systemd timer) on any number of machines: each reminder is sent at most once."""
    from ..services import reminders

    now = utcnow()
    reminders.plan(db.session, now)
    db.session.commit()
    counts: dict[str, int] = {}
    for _ in range(max_batches):
        # The claim is committed before anything is sent: another sender never takes these rows.
        token = reminders.claim(db.session, now, batch)
        db.session.commit()
        done = reminders.deliver(db.session, token, now)
        db.session.commit()
        if not done:
            break
        for key, value in done.items():
            counts[key] = counts.get(key, 0) + value
    if counts:
        click.echo(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))
