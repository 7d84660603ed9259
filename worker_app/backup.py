"""Backup and restore: the database and the uploaded photos, consistent while the app runs.

A backup is one folder, `worker_app-<UTC time>/`, holding
  database.dump      PostgreSQL: pg_dump's custom format, from one snapshot
  database.sqlite3   SQLite: a copy made with SQLite's online backup API
  photos.tar         every photo in PHOTO_DIR whose content matches its name
  manifest.json      when, which database and migration, and per table its row count and a
                     SHA-256 of its rows, computed from the same snapshot as the dump

The folder is written under a temporary name and renamed when complete, so a folder with the
final name is always a whole backup. Restore loads it into an empty database, puts the photos
back, and checks every table against the manifest.

The database is read first, the photos after: photos are named by their content and never
deleted, so every photo the snapshot refers to is already in the folder when it is copied.
Everything else the app serves is made again by `make setup` (lesson audio, translations,
front-end files); SECRET_KEY and the rest of the environment are kept outside the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.engine import Connection, make_url

FORMAT = 1
PREFIX = "worker_app-"
FOLDER = re.compile(r"^worker_app-\d{8}T\d{6}Z$")
PHOTO = re.compile(r"^([0-9a-f]{32})\.jpg$")


class BackupError(Exception):
    """Something an operator must see and fix (a full disk, a database not empty, a mismatch)."""


@dataclass
class Made:
    path: Path
    manifest: dict


# Fingerprints: row count and SHA-256 of every table -------------------------------------------


def fingerprints(conn: Connection) -> dict[str, dict]:
    """Per table: its row count and a SHA-256 of its rows in primary-key order, read through
    `conn` (so inside its transaction's snapshot). The same data gives the same digest on the
    same kind of database."""
    metadata = MetaData()
    metadata.reflect(conn)
    result = {}
    for name in sorted(metadata.tables):
        table = metadata.tables[name]
        order = list(table.primary_key.columns) or list(table.columns)
        digest, rows = hashlib.sha256(), 0
        for row in conn.execute(select(table).order_by(*order)).yield_per(2000):
            digest.update(repr(tuple(row)).encode())
            digest.update(b"\n")
            rows += 1
        result[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return result


def _revision(conn: Connection) -> str | None:
    if "alembic_version" not in inspect(conn).get_table_names():
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


# Writing a backup -------------------------------------------------------------------------------


def backup(database_url: str, photo_dir: str | Path, out_dir: str | Path, keep: int | None = None,
           now: datetime | None = None) -> Made:
    """Write a whole backup folder into out_dir; with `keep`, remove all but the newest `keep`."""
    now = now or datetime.now(UTC)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    final = out / f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} exists already")
    partial = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=out))
    try:
        url = make_url(database_url)
        if url.get_backend_name() == "postgresql":
            database, kind = _dump_postgres(database_url, partial / "database.dump"), "postgresql"
        elif url.get_backend_name() == "sqlite":
            database, kind = _copy_sqlite(url.database, partial / "database.sqlite3"), "sqlite"
        else:
            raise BackupError(f"no backup for {url.get_backend_name()} databases")
        photos = _pack_photos(Path(photo_dir), partial / "photos.tar")
        manifest = {"format": FORMAT, "created_at": now.isoformat(), "database": kind, **database,
                    "photos": photos}
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial.chmod(0o700)  # people's data: for the operator only
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if keep:
        for old in backups(out)[:-keep]:
            shutil.rmtree(old)
    return Made(final, manifest)


def backups(out_dir: str | Path) -> list[Path]:
    """The whole backups in out_dir, oldest first."""
    out = Path(out_dir)
    return sorted(p for p in out.iterdir() if p.is_dir() and FOLDER.match(p.name)) if out.is_dir() else []


def _libpq(database_url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password goes in the environment, never
    on a command line that other users of the machine can see."""
    url = make_url(database_url)
    args = [f"--dbname={url.database}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def pg_program(name: str) -> str:
    """pg_dump or pg_restore: the one on PATH, else the newest installed PostgreSQL's."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                      key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if not versions:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client)")
    return str(versions[-1])


def _dump_postgres(database_url: str, target: Path) -> dict:
    """pg_dump from a snapshot this transaction exports, and the fingerprints from that same
    snapshot: the manifest describes exactly what the dump holds, however busy the app is."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                conn.execute(text("SET TRANSACTION READ ONLY"))
                snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                args, env = _libpq(database_url)
                dump = subprocess.Popen(
                    [pg_program("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges",
                     f"--snapshot={snapshot}", f"--file={target}"],
                    env=env, stderr=subprocess.PIPE, text=True)
                try:
                    tables = fingerprints(conn)
                    revision = _revision(conn)
                finally:
                    _, errors = dump.communicate()  # the snapshot must outlive pg_dump's start
                if dump.returncode != 0:
                    raise BackupError(f"pg_dump failed: {errors.strip()}")
    finally:
        engine.dispose()
    return {"revision": revision, "tables": tables}


def _copy_sqlite(path: str | None, target: Path) -> dict:
    if not path or path == ":memory:" or not Path(path).is_file():
        raise BackupError(f"no SQLite database file at {path!r}")
    source = sqlite3.connect(path)  # read only in effect; mode=ro cannot open a WAL file's index
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)  # in one step: a consistent copy, also while others write
    finally:
        source.close()
        copy.close()
    return _describe_sqlite(target)


def _describe_sqlite(path: Path) -> dict:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return {"revision": _revision(conn), "tables": fingerprints(conn)}
    finally:
        engine.dispose()


def _photo_ok(path: Path) -> bool:
    """A whole photo: its content hashes to its name (a file still being written does not)."""
    match = PHOTO.match(path.name)
    return bool(match) and hashlib.sha256(path.read_bytes()).hexdigest()[:32] == match.group(1)


def _pack_photos(folder: Path, target: Path) -> dict:
    names = []
    with tarfile.open(target, "w") as tar:
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and _photo_ok(path):
                    tar.add(path, arcname=path.name, recursive=False)
                    names.append(path.name)
    return {"count": len(names), "sha256": _names_digest(names)}


def _names_digest(names: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()


# Restoring --------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup (no manifest.json)")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def restore(folder: str | Path, database_url: str, photo_dir: str | Path) -> dict:
    """Load a backup into an empty database and put its photos back; then check every table
    against the manifest. Returns the manifest; raises BackupError on any difference."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    url = make_url(database_url)
    if url.get_backend_name() != manifest["database"]:
        raise BackupError(f"this backup is of a {manifest['database']} database, not {url.get_backend_name()}")
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if inspect(conn).get_table_names():
                raise BackupError("the database to restore into is not empty; use a new, empty one")
        if manifest["database"] == "postgresql":
            args, env = _libpq(database_url)
            done = subprocess.run([pg_program("pg_restore"), *args, "--no-owner", "--no-privileges",
                                   "--exit-on-error", "--single-transaction", str(folder / "database.dump")],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        else:
            engine.dispose()
            source = sqlite3.connect(f"file:{folder / 'database.sqlite3'}?mode=ro", uri=True)
            target = sqlite3.connect(url.database)
            try:
                with target:
                    source.backup(target)
            finally:
                source.close()
                target.close()
        with engine.connect() as conn:
            found = fingerprints(conn)
    finally:
        engine.dispose()
    differ = sorted(name for name in set(found) | set(manifest["tables"])
                    if found.get(name) != manifest["tables"].get(name))
    if differ:
        raise BackupError(f"restored tables differ from the backup: {', '.join(differ)}")
    _unpack_photos(folder / "photos.tar", Path(photo_dir), manifest["photos"])
    return manifest


def _unpack_photos(archive: Path, folder: Path, expected: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not (member.isfile() and PHOTO.match(member.name)):
                raise BackupError(f"unexpected file in photos.tar: {member.name!r}")
            names.append(member.name)
            target = folder / member.name
            if not target.exists():  # a photo's name is its content: one there is the same
                # Only the bytes: the name was checked above, and nothing else of the archive's
                # (owner, mode, links) is taken. (tar.extract's filter="data" needs Python
                # 3.11.4; Debian 12 has 3.11.2.)
                with tar.extractfile(member) as source:
                    target.write_bytes(source.read())
    if len(names) != expected["count"] or _names_digest(names) != expected["sha256"]:
        raise BackupError("photos.tar does not hold the photos the manifest lists")
    bad = [n for n in names if not _photo_ok(folder / n)]
    if bad:
        raise BackupError(f"damaged photos: {', '.join(bad[:5])}")
