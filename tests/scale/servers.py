"""App servers as in production, for the scale-out and failure tests: gunicorn processes on
127.0.0.1 sharing one PostgreSQL database and one Redis, and phones that talk to them.

A phone keeps one cookie jar for every server, as a browser does behind a load balancer (and
as it does for two ports of one host: cookies do not care about ports). Each phone has its own
client address (X-Forwarded-For, with PROXY_COUNT=1 as behind one proxy), so rate limits count
phones, not the test.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
START_TIMEOUT = 60  # seconds for gunicorn to answer /healthz on a busy machine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class AppServer:
    """One gunicorn (its own process group, so SIGKILL takes master and workers at once)."""

    def __init__(self, name: str, database_url: str, redis_url: str, secret_key: str, log_dir: Path,
                 *, workers: int = 2, key_prefix: str = "", extra_env: dict | None = None):
        self.name, self.port = name, free_port()
        self.log = log_dir / f"gunicorn-{name}.log"
        self.env = {**os.environ, "DATABASE_URL": libpq_url(database_url), "WORKER_APP_ENV": "production",
                    "SECRET_KEY": secret_key, "COOKIE_SECURE": "1", "RATELIMIT_STORAGE_URI": redis_url,
                    "PROXY_COUNT": "1", "BASE_URL": "https://scale.invalid", **(extra_env or {})}
        # Keys of this run only, in a Redis that other runs may share.
        overrides = {"RATELIMIT_KEY_PREFIX": key_prefix or f"scale-{secrets.token_hex(4)}"}
        self.command = [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
                        "--graceful-timeout", "5",
                        # Not the shared default control socket of every gunicorn on the machine.
                        "--no-control-socket", f"worker_app:create_app(overrides={overrides!r})"]
        self.process: subprocess.Popen | None = None

    def start(self) -> AppServer:
        with self.log.open("a") as log:  # the child keeps its own copy of the file
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def wait_ready(self) -> AppServer:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} stopped:\n{self.log.read_text()[-3000:]}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
            finally:
                conn.close()
        self.stop()
        raise RuntimeError(f"gunicorn {self.name} did not answer within {START_TIMEOUT} s")

    def kill(self) -> None:
        """Like a machine losing power: every process of this server at once, no clean-up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def pids(self) -> list[int]:
        """The master and its workers."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [self.process.pid, *(int(p) for p in out.stdout.split())]


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    def csrf(self) -> str:
        match = _CSRF.search(self.text)
        assert match, f"no csrf_token in the page ({self.status})"
        return match.group(1)


class Phone:
    """One person's phone: one cookie jar, its own address, a connection to each server."""

    made: list[Phone] = []  # closed after each test (tests/scale/conftest.py)

    def __init__(self, address: str, cookies: dict[str, str] | None = None, timeout: float = 30):
        self.address, self.timeout = address, timeout
        self.cookies: dict[str, str] = dict(cookies or {})
        self._conns: dict[int, http.client.HTTPConnection] = {}
        Phone.made.append(self)

    def request(self, server: AppServer, method: str, path: str, data: dict | None = None) -> Answer:
        headers = {"X-Forwarded-For": self.address, "Accept-Encoding": "identity",
                   "Accept-Language": "nb-NO", "User-Agent": "scale-test (Android; mobile)"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            conn = self._conns.get(server.port)
            if conn is None:
                conn = self._conns[server.port] = http.client.HTTPConnection("127.0.0.1", server.port,
                                                                             timeout=self.timeout)
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had closed: once more on a new one.
                self.forget(server)
                if attempt:
                    raise
        if response.will_close:
            self.forget(server)
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie, _, rest = value.partition("=")
                if "Max-Age=0" in value or "expires=Thu, 01 Jan 1970" in value:
                    self.cookies.pop(cookie, None)
                else:
                    self.cookies[cookie] = rest.split(";", 1)[0]
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, payload)

    def forget(self, server: AppServer) -> None:
        conn = self._conns.pop(server.port, None)
        if conn is not None:
            conn.close()

    def get(self, server: AppServer, path: str) -> Answer:
        return self.request(server, "GET", path)

    def post(self, server: AppServer, path: str, data: dict | None = None) -> Answer:
        return self.request(server, "POST", path, data or {})

    def close(self) -> None:
        for conn in self._conns.values():
            conn.close()
        self._conns.clear()


# Servers of the failure tests' own, to stop and start at will (never the shared ones) --------


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def have_own_servers() -> str:
    """Why the failure tests cannot start their own PostgreSQL and Redis here, or ''."""
    import shutil

    if pg_bin() is None:
        return "needs PostgreSQL's programs (Debian's postgresql) to start a PostgreSQL of its own"
    if shutil.which("redis-server") is None:
        return "needs Debian's redis-server to start a Redis of its own"
    return ""


class OwnPostgres:
    """A throwaway PostgreSQL on its own port and data folder (scripts/start-postgres.sh)."""

    def __init__(self):
        import tempfile

        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="worker_app-scale-pg-", dir="/tmp"))
        self.bin = pg_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.url = ""

    def start(self) -> OwnPostgres:
        env = {**os.environ, "PGPORT_TEST": str(self.port), "PGDATA_TEST": str(self.data)}
        done = subprocess.run(["bash", str(ROOT / "scripts" / "start-postgres.sh")], env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        self.url = done.stdout.strip().splitlines()[-1].replace("postgresql://", "postgresql+psycopg://", 1)
        return self

    def pg_ctl(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.data), *args],
                       capture_output=True, timeout=60, check=True)

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "-w", "stop")

    def start_again(self) -> None:
        self.pg_ctl("-l", str(self.data / "server.log"), "-w", "-o",
                    f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} -c fsync=off", "start")

    def remove(self) -> None:
        import shutil
        from contextlib import suppress

        with suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.data, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


class OwnRedis:
    """A throwaway Redis on its own port and folder (scripts/start-redis.sh)."""

    def __init__(self):
        import tempfile

        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="worker_app-scale-redis-", dir="/tmp"))
        self.url = ""

    def start(self) -> OwnRedis:
        env = {**os.environ, "REDIS_PORT_TEST": str(self.port), "REDIS_DIR_TEST": str(self.dir)}
        done = subprocess.run(["bash", str(ROOT / "scripts" / "start-redis.sh")], env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        self.url = done.stdout.strip().splitlines()[-1]
        return self

    def stop(self) -> None:
        pid_file = self.dir / "redis.pid"
        if not pid_file.is_file():
            return
        pid = int(pid_file.read_text())
        os.kill(pid, signal.SIGKILL)  # a Redis that dies, not one that is shut down politely
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)

    def remove(self) -> None:
        import shutil

        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
