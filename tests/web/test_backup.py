"""`flask backup` while the app is busy, then `flask restore` into a fresh database: the same
rows in every table, and the photos. On SQLite always; on PostgreSQL in CI's PostgreSQL pass,
with a PostgreSQL of the test's own (two databases: the one backed up, the one restored into)."""

from __future__ import annotations

import io
import os
import subprocess
import threading
import time
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from PIL import Image
from sqlalchemy import create_engine, func, inspect, select, table, text
from werkzeug.serving import make_server

from tests.scale import world
from tests.scale.servers import OwnPostgres, Phone, pg_bin
from worker_app import backup, create_app
from worker_app.config import TestConfig
from worker_app.extensions import db
from worker_app.models import Event
from worker_app.services import photos

STEPS, PHONES = 25, 3


def _postgres_reason() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgresql://", "postgres://")):
        return "the PostgreSQL round trip runs in the PostgreSQL pass (DATABASE_URL set)"
    if pg_bin() is None:
        return "needs PostgreSQL's programs (Debian's postgresql) to start a PostgreSQL of its own"
    return ""


@contextmanager
def sqlite_pair(tmp_path):
    yield f"sqlite:///{tmp_path / 'live.sqlite3'}", f"sqlite:///{tmp_path / 'restored.sqlite3'}"


@contextmanager
def postgres_pair(tmp_path):
    own = OwnPostgres()
    try:
        own.start()
        subprocess.run([*own.as_postgres, str(own.bin / "createdb"), "-h", "127.0.0.1", "-p", str(own.port),
                        "-U", "worker_app", "worker_app_restored"], check=True, capture_output=True)
        yield own.url, own.url.rsplit("/", 1)[0] + "/worker_app_restored"
    finally:
        own.remove()


PAIRS = {
    "sqlite": pytest.param(sqlite_pair, id="sqlite"),
    "postgresql": pytest.param(postgres_pair, id="postgresql",
                               marks=pytest.mark.skipif(bool(_postgres_reason()), reason=_postgres_reason() or "-")),
}


def jpeg(colour: str) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    out.seek(0)
    return out


def counts(url: str) -> dict[str, int]:
    """Rows per table, counted with plain SQL (not the backup's own code)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(table(name))).scalar()
                    for name in inspect(conn).get_table_names()}
    finally:
        engine.dispose()


@pytest.mark.parametrize("pair", PAIRS.values())
def test_backup_under_load_restores_every_table_and_photo(tmp_path, pair):
    with pair(tmp_path) as (live_url, restored_url):
        photo_dir, restored_photos = tmp_path / "photos", tmp_path / "restored-photos"
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": live_url, "PHOTO_DIR": str(photo_dir)})
        with app.app_context():
            db.create_all()
            db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
            db.session.execute(text("INSERT INTO alembic_version VALUES ('test_head')"))
            db.session.commit()
        store = photos.FolderStore(photo_dir)
        names = [photos.accept(jpeg(c), store) for c in ("red", "green", "blue")]
        (photo_dir / ("0" * 32 + ".jpg")).write_bytes(b"half a photo, still being written")
        event_id = world.event(app, 10, world.person(app, "organizer"))
        with app.app_context():
            db.session.get(Event, event_id).photo = names[0]
            db.session.commit()

        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        here = SimpleNamespace(port=server.server_port)
        load = []
        for i in range(PHONES):
            worker = world.person(app, "worker")
            assignment = world.checklist_for(app, worker, steps=STEPS)
            load.append((Phone(f"10.7.0.{i}", {"wa_device": world.device_cookie(app, worker)}), assignment, []))
        before = counts(live_url)

        def tick(phone, assignment, acknowledged):
            for position in range(1, STEPS + 1):
                answer = phone.post(here, f"/tasks/{assignment}/step/{position}/done")
                assert answer.status == 302
                acknowledged.append(time.monotonic())
                phone.post(here, f"/events/{event_id}/join" if position == 1 else "/help/ask",
                           {"reason": "task"})
                time.sleep(0.02)

        threads = [threading.Thread(target=tick, args=item, daemon=True) for item in load]
        try:
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 30
            while sum(len(a) for _p, _a, a in load) < PHONES * 3 and time.monotonic() < deadline:
                time.sleep(0.02)
            started = time.monotonic()
            result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "backups")])
            ended = time.monotonic()
            for thread in threads:
                thread.join(60)
        finally:
            server.shutdown()
            with app.app_context():
                db.engine.dispose()
            for phone, _a, _ack in load:
                phone.close()
        assert result.exit_code == 0, result.output
        after = counts(live_url)
        during = [t for _p, _a, acks in load for t in acks if started < t < ended]
        assert during, "nothing was written while the backup ran"

        [folder] = backup.backups(tmp_path / "backups")
        manifest = backup.read_manifest(folder)
        assert manifest["photos"]["count"] == 3  # the half-written one is left out

        restored = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": restored_url,
                                           "PHOTO_DIR": str(restored_photos)})
        done = restored.test_cli_runner().invoke(args=["restore", str(folder)])
        assert done.exit_code == 0, done.output
        assert "every table matches the backup" in done.output

        # Every table: the rows the backup saw, between what was there before and after the load.
        got = counts(restored_url)
        assert set(got) == set(before) and "alembic_version" in got
        for name, rows in got.items():
            assert rows == manifest["tables"][name]["rows"]
            assert before[name] <= rows <= after[name], name
        assert got["step_done"] > before["step_done"] and got["step_done"] < after["step_done"]
        engine = create_engine(restored_url)
        try:
            with engine.connect() as conn:
                assert backup.fingerprints(conn) == manifest["tables"]
                # A consistent snapshot: every run counted as finished has all its steps.
                assert conn.execute(text(
                    "SELECT count(*) FROM run WHERE finished_at IS NOT NULL AND "
                    f"(SELECT count(*) FROM step_done WHERE step_done.run_id = run.id) <> {STEPS}")).scalar() == 0
            with engine.begin() as conn:  # and the checksum notices one changed value
                conn.execute(text("UPDATE event SET title = 'Endret' WHERE id = :id"), {"id": event_id})
            with engine.connect() as conn:
                changed = backup.fingerprints(conn)
        finally:
            engine.dispose()
        assert [n for n in changed if changed[n] != manifest["tables"][n]] == ["event"]

        assert sorted(p.name for p in restored_photos.iterdir()) == sorted(names)
        assert all((restored_photos / n).read_bytes() == (photo_dir / n).read_bytes() for n in names)

        again = restored.test_cli_runner().invoke(args=["restore", str(folder)])
        assert again.exit_code != 0 and "not empty" in again.output
        with restored.app_context():
            db.engine.dispose()


def test_backup_keeps_the_newest_and_leaves_no_half_folder(tmp_path):
    from datetime import UTC, datetime, timedelta

    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    first = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
    for day in range(4):
        backup.backup(url, tmp_path / "photos", tmp_path / "out", keep=2, now=first + timedelta(days=day))
    assert [p.name for p in backup.backups(tmp_path / "out")] == [
        "worker_app-20260103T020000Z", "worker_app-20260104T020000Z"]
    with pytest.raises(backup.BackupError):
        backup.backup("sqlite:///" + str(tmp_path / "missing.sqlite3"), tmp_path / "photos", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "worker_app-20260103T020000Z", "worker_app-20260104T020000Z"]
