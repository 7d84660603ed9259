"""The systemd units in deploy/ are real: systemd accepts them, and the commands they run work
with the settings of deploy/env.example. Installed paths (/srv/worker_app, /etc/worker_app/env,
/var/lib/worker_app, /var/backups/worker_app) are mapped to this checkout and a temporary folder."""

from __future__ import annotations

import http.client
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.scale.servers import free_port
from worker_app import backup, create_app
from worker_app.config import TestConfig
from worker_app.extensions import db

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def installed(tmp_path: Path) -> Path:
    """The units as installed on a machine whose /srv/worker_app is this checkout."""
    out = tmp_path / "units"
    out.mkdir()
    for unit in (DEPLOY / "systemd").iterdir():
        text = (unit.read_text().replace("/srv/worker_app", str(ROOT))
                .replace("/etc/worker_app/env", str(tmp_path / "env"))
                .replace("/var/lib/worker_app", str(tmp_path / "state"))
                .replace("/var/backups/worker_app", str(tmp_path / "backups")))
        (out / unit.name).write_text(text)
    return out


def service_values(unit: Path, key: str) -> list[str]:
    """Every value of `key` in the unit's [Service] section (continued lines joined)."""
    values, section = [], ""
    for line in unit.read_text().replace("\\\n", " ").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and line.startswith(f"{key}="):
            values.append(line.split("=", 1)[1])
    return values


def environment(tmp_path: Path, **changes: str) -> dict[str, str]:
    """deploy/env.example, as EnvironmentFile= reads it, with this machine's own values."""
    settings = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    settings.update(changes)
    return {**os.environ, **settings}


def sqlite_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'state' / 'worker_app.sqlite3'}"
    (tmp_path / "state").mkdir(exist_ok=True)
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze (Debian's systemd)")
def test_systemd_accepts_the_units(tmp_path):
    units = installed(tmp_path)
    done = subprocess.run(["systemd-analyze", "verify", *sorted(str(p) for p in units.iterdir())],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # No warning about our files (an unknown key is only a warning, and then silently ignored).
    assert not [line for line in done.stderr.splitlines() if str(units) in line], done.stderr


def test_the_app_unit_serves_with_the_example_settings_and_stops_on_sigterm(tmp_path):
    units = installed(tmp_path)
    [command] = service_values(units / "worker-app.service", "ExecStart")
    [workdir] = service_values(units / "worker-app.service", "WorkingDirectory")
    port = free_port()
    argv = shlex.split(command.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
    settings = {"DATABASE_URL": sqlite_database(tmp_path), "PHOTO_DIR": str(tmp_path / "state" / "photos"),
                "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", "memory://"),
                # Without a Redis here, the unit's 2 workers count apart: said to be accepted.
                "ALLOW_MEMORY_RATELIMIT": "0" if os.environ.get("REDIS_URL") else "1"}

    refused = subprocess.run(argv[:1] + ["--check-config", *argv[1:]], cwd=workdir, capture_output=True,
                             text=True, env=environment(tmp_path, **settings), timeout=60)
    # As shipped, env.example has no SECRET_KEY: the app must refuse to start with it.
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stdout + refused.stderr

    settings["SECRET_KEY"] = secrets.token_hex(32)
    server = subprocess.Popen(argv, cwd=workdir, env=environment(tmp_path, **settings), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        status, deadline = None, time.monotonic() + 60
        while status is None and time.monotonic() < deadline:
            assert server.poll() is None, server.stdout.read().decode()[-2000:]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                # As the HTTPS proxy passes it on: the public host name of env.example.
                conn.request("GET", "/login", headers={"Host": "arbeidsdagen.example.no"})
                status = conn.getresponse().status
            except OSError:
                time.sleep(0.2)
            finally:
                conn.close()
        assert status == 200
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:  # TRUSTED_HOSTS: another host name is refused
            conn.request("GET", "/login", headers={"Host": "evil.example"})
            assert conn.getresponse().status == 400
        finally:
            conn.close()
    finally:
        server.send_signal(signal.SIGTERM)  # what systemctl stop sends first (KillMode=mixed)
        try:
            server.wait(timeout=30)  # TimeoutStopSec
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            server.stdout.close()
    assert server.returncode == 0


def test_the_daily_unit_purges_guests_applies_retention_and_makes_a_backup(tmp_path):
    units = installed(tmp_path)
    commands = service_values(units / "worker-app-daily.service", "ExecStart")
    [workdir] = service_values(units / "worker-app-daily.service", "WorkingDirectory")
    settings = {"DATABASE_URL": sqlite_database(tmp_path), "PHOTO_DIR": str(tmp_path / "state" / "photos"),
                "SECRET_KEY": secrets.token_hex(32), "RATELIMIT_STORAGE_URI": "memory://"}
    outputs = []
    for command in commands:  # Type=oneshot: one after the other, stopping at the first failure
        done = subprocess.run(shlex.split(command), cwd=workdir, env=environment(tmp_path, **settings),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(done.stdout)
    assert "guests deleted: 0" in outputs[0]
    assert "audit entries deleted: 0" in outputs[1] and "help requests deleted: 0" in outputs[1]
    [made] = backup.backups(tmp_path / "backups")
    assert backup.read_manifest(made)["database"] == "sqlite"
