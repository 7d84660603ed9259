"""flask commands: seed-demo, create-user, translate, lessons, events, backup, restore,
reminders. One module per command group; each command is one transaction (one_transaction)."""

from __future__ import annotations

from flask import Flask

from .backups import backup_command, restore_command
from .demo_data import seed_demo
from .events import events_group
from .lessons import lessons
from .reminders import reminders_group
from .transaction import one_transaction
from .translate import translate
from .users import create_user

__all__ = ["one_transaction", "register"]


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(translate)
    app.cli.add_command(lessons)
    app.cli.add_command(events_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(reminders_group)
