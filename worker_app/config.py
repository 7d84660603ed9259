"""Settings come from the environment, with safe defaults for a local run."""

import os
import shlex
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

DEV_SECRET = "dev-only-not-secret"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE / 'worker_app.sqlite3'}"
    # Accept the common postgres:// and postgresql:// spellings and use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _workers() -> int:
    """How many processes will serve: gunicorn's WEB_CONCURRENCY, or its --workers/-w on the
    command line (a gunicorn worker's sys.argv is its master's) or in GUNICORN_CMD_ARGS."""
    count = int(os.environ.get("WEB_CONCURRENCY") or "1")
    args = shlex.split(os.environ.get("GUNICORN_CMD_ARGS", ""))
    if sys.argv and Path(sys.argv[0]).name.startswith("gunicorn"):
        args += sys.argv[1:]
    for i, arg in enumerate(args):
        value = None
        if arg in ("-w", "--workers") and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--workers="):
            value = arg.partition("=")[2]
        elif arg.startswith("-w") and arg[2:].isdigit():
            value = arg[2:]
        if value and value.isdigit():
            count = max(count, int(value))
    return count


class Config:
    ENV_NAME = os.environ.get("WORKER_APP_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url()
    # hide_parameters: an error's log line shows the SQL, never the values (names, phone
    # numbers, password hashes are personal data or secrets).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}

    # The number shown on every worker page until an admin sets one in the app.
    SAFETY_NUMBER = os.environ.get("SAFETY_NUMBER", "+4780012345")

    # Static files carry a content hash in their URL (see web.static_version), so a year of
    # caching is safe; pages are compressed with brotli or gzip.
    SEND_FILE_MAX_AGE_DEFAULT = 31536000
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/css", "application/javascript", "text/javascript",
                          "image/svg+xml", "text/calendar", "text/csv", "application/json"]

    BABEL_DEFAULT_LOCALE = "nb"
    BABEL_DEFAULT_TIMEZONE = "Europe/Oslo"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    LANGUAGES = ("nb", "nn", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("COOKIE_SECURE", "0") == "1"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Workers are never asked to sign in again for a long time on their own phone.
    DEVICE_LIFETIME = timedelta(days=180)
    SIGN_IN_LINK_LIFETIME = timedelta(days=7)
    # `flask retention run` deletes audit entries and handled help requests older than these.
    AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))
    HELP_RETENTION_DAYS = int(os.environ.get("HELP_RETENTION_DAYS", "365"))

    WTF_CSRF_TIME_LIMIT = None  # no time limits for people who read slowly
    MAX_CONTENT_LENGTH = 9 * 1024 * 1024  # a photo of up to 8 MB, and the rest of its form
    PHOTO_DIR = os.environ.get("PHOTO_DIR") or str(INSTANCE / "photos")

    # memory:// counts in each process; with more than one process (gunicorn --workers 2, two
    # machines) set redis://host:6379/0 so every process counts the same tries.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # A Redis that hangs must not hang sign-in: give up on it after a second.
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 1, "socket_connect_timeout": 1}
    # Redis down: each process goes on counting on its own (a warning is logged) and goes back
    # to Redis when it answers again. Sign-in must keep working: a worker locked out cannot see
    # the day's shift; per-process limits still stop a guesser, only less tightly.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Behind a reverse proxy: how many proxies set X-Forwarded-For. Rate limits then count
    # each client, not the proxy. 0 when the app faces the clients itself.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    PICTURE_CODE_TRIES = 5  # then the phone needs a new sign-in link
    RATELIMIT_HEADERS_ENABLED = True
    SIGN_IN_RATE_LIMIT = "10 per minute"  # per address, on every sign-in path
    # Per account (the e-mail typed, the person a link is for, the picture code's owner),
    # whatever the address: failed tries only for the password.
    SIGN_IN_ACCOUNT_RATE_LIMIT = "10 per minute;100 per hour"
    # Per feed, not per address: a calendar provider fetches many people's feeds from one
    # address. Addresses that ask for feeds that don't exist are limited on their own.
    CALENDAR_RATE_LIMIT = "60 per hour"
    CALENDAR_UNKNOWN_RATE_LIMIT = "600 per hour"
    # How many processes serve (see _workers). With more than one, memory:// counts tries in
    # each process, so check_production refuses it.
    WORKERS = _workers()
    ALLOW_MEMORY_RATELIMIT = os.environ.get("ALLOW_MEMORY_RATELIMIT", "0") == "1"
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300 per minute")  # per token
    API_ADDRESS_RATE_LIMIT = os.environ.get("API_ADDRESS_RATE_LIMIT", "1200 per minute")  # per address

    # The lesson files; another folder only for trying out new lessons.
    LESSONS_DIR = os.environ.get("LESSONS_DIR") or str(ROOT / "worker_app" / "content" / "lessons")
    # Pre-made read-aloud audio for lesson screens (made at set-up with espeak-ng).
    LESSON_AUDIO_DIR = str(ROOT / "static" / "audio")
    # Read-aloud audio of other pages, made when asked (see services/read_aloud.py), kept under
    # a size bound.
    READ_ALOUD_DIR = os.environ.get("READ_ALOUD_DIR") or str(ROOT / "instance" / "read-aloud")
    READ_ALOUD_MAX_BYTES = int(os.environ.get("READ_ALOUD_MAX_MB", "100")) * 1024 * 1024

    # The benchmark only: an X-Query-Count header on every response (see querycount.py).
    BENCH_COUNT_QUERIES = os.environ.get("BENCH_COUNT_QUERIES", "0") == "1"

    # Web Push (reminders): the VAPID key pair, base64url (raw private key, uncompressed public
    # point), and a contact for push services. Unset in development: read from
    # instance/vapid.json, which `flask reminders keys` makes (`make run` does it).
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:drift@arbeidsdagen.invalid")

    # Where `make run` serves; used for links printed outside a request (seed-demo).
    # The public address. Every absolute link (sign-in, calendar, invitation, QR codes) is built
    # from it, never from the request's Host header, which a client chooses.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    # Host names the app answers to (Flask refuses others with a 400); comma-separated.
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()] or None


class TestConfig(Config):
    TESTING = True
    ENV_NAME = "test"
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SAFETY_NUMBER = "+4780012345"
    BASE_URL = "http://localhost"  # the test client's address


def check_production(config) -> None:
    """Refuse to start in production with the development secret, not over HTTPS, or with
    rate limits counted per process when several processes serve."""
    if config.get("ENV_NAME") == "production":
        key = config.get("SECRET_KEY") or ""
        if key == DEV_SECRET or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (WORKER_APP_ENV=production)."
            )
        if not config.get("SESSION_COOKIE_SECURE"):
            raise RuntimeError("Set COOKIE_SECURE=1 in production: cookies only over HTTPS.")
        if (str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://")
                and int(config.get("WORKERS") or 1) > 1 and not config.get("ALLOW_MEMORY_RATELIMIT")):
            raise RuntimeError(
                "RATELIMIT_STORAGE_URI=memory:// counts in each process, and gunicorn will run more "
                "than one (WEB_CONCURRENCY or --workers): set RATELIMIT_STORAGE_URI=redis://host:6379/0 "
                "(or ALLOW_MEMORY_RATELIMIT=1 to accept limits per process).")
        if not str(config.get("BASE_URL", "")).startswith("https://"):
            raise RuntimeError("Set BASE_URL to the public https:// address in production: "
                               "links are built from it, never from the Host header.")
