"""flask create-user."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from ..models import Role
from ..services import people
from .transaction import one_transaction


@click.command("create-user")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@click.argument("name")
@click.option("--email", default="")
@click.option("--password", default="", help="Staff only; asked for when left out.")
@with_appcontext
@one_transaction
def create_user(role: str, name: str, email: str, password: str) -> None:
    """Create a user, e.g. the first admin of a new installation."""
    if Role(role) in (Role.SPECIALIST, Role.ORGANIZER, Role.ADMIN) and not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = people.save_user(db.session, actor=None, user=None, name=name, role=role,
                            email=email, password=password)
    click.echo(f"created {user.role} {user.name} (id {user.id})")
