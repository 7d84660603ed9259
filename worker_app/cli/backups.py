"""flask backup and flask restore."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("backup")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--keep", type=click.IntRange(min=1), default=None,
              help="Then remove all but the newest KEEP backups in OUT_DIR.")
@with_appcontext
def backup_command(out_dir: str, keep: int | None) -> None:
    """Back up the database and the photos into a new folder in OUT_DIR (safe while the app runs)."""
    from .. import backup

    try:
        made = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], current_app.config["PHOTO_DIR"],
                             out_dir, keep=keep)
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    tables = made.manifest["tables"]
    click.echo(f"backup: {made.path} ({len(tables)} tables, {sum(t['rows'] for t in tables.values())} rows, "
               f"{made.manifest['photos']['count']} photos)")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore_command(folder: str) -> None:
    """Restore a backup FOLDER into the (empty) database of DATABASE_URL and into PHOTO_DIR, then
    check every table against the backup's manifest."""
    from .. import backup

    try:
        manifest = backup.restore(folder, current_app.config["SQLALCHEMY_DATABASE_URI"],
                                  current_app.config["PHOTO_DIR"])
    except backup.BackupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"restored {len(manifest['tables'])} tables and {manifest['photos']['count']} photos from "
               f"{manifest['created_at']}; every table matches the backup")
