"""Arbeidsdagen: the worker_app application factory. Nothing runs at import time."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import ROOT, Config, check_production
from .templating import App


def create_app(config_class: type = Config, overrides: dict | None = None) -> Flask:
    app = App(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    if overrides:
        app.config.update(overrides)
    check_production(app.config)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"],
                                x_proto=app.config["PROXY_COUNT"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.instance_path).mkdir(exist_ok=True)

    from . import web
    from .extensions import babel, compress, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine)
        web.transaction.begin_at_the_first_write(db.engine)
        if app.config.get("BENCH_COUNT_QUERIES"):
            from . import querycount

            querycount.init_app(app, db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=lambda: "Europe/Oslo")
    from . import i18n

    i18n.install(app)
    csrf.init_app(app)
    limiter.init_app(app)
    _log_rate_limit_store(limiter)
    compress.init_app(app)
    # After-request hooks run last-registered first: this one runs before compression.
    app.after_request(web.buffer_static)

    web.init_app(app)
    from . import logs

    logs.init_app(app)
    _load_vapid_keys(app)
    # For load balancers and the benchmark: answers without the database or a template.
    app.add_url_rule("/healthz", "healthz", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    _load_content(app)
    _register_blueprints(app)

    from .cli import register as register_cli

    register_cli(app)
    return app


def _log_rate_limit_store(limiter) -> None:
    """Flask-Limiter's warnings (its store unreachable, so each process counts alone) go where
    the app's own go; the library gives its logger only a NullHandler."""
    import logging

    from flask.logging import default_handler

    limiter.logger.addHandler(default_handler)
    limiter.logger.setLevel(logging.INFO)  # and "Rate limit storage recovered"


def _tune_sqlite(engine) -> None:
    """SQLite: write-ahead log so readers never wait for a writer, and wait (not fail) for the
    write lock that sign-ups take."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _load_vapid_keys(app: Flask) -> None:
    """Development: the Web Push keys `flask reminders keys` wrote into instance/."""
    if app.config.get("VAPID_PRIVATE_KEY") or app.config.get("ENV_NAME") in ("production", "test"):
        return
    path = Path(app.instance_path) / "vapid.json"
    if path.is_file():
        import json

        keys = json.loads(path.read_text())
        app.config["VAPID_PRIVATE_KEY"], app.config["VAPID_PUBLIC_KEY"] = keys["private"], keys["public"]


def _load_content(app: Flask) -> None:
    """Parse and check the lessons once; a malformed lesson stops start-up with its file named."""
    from .content import load_lessons

    svg = ROOT / "node_modules" / "openmoji" / "color" / "svg"
    # The pictogram check needs the npm packages; without them (a bare checkout) it is skipped.
    exists = (lambda code: (svg / f"{code}.svg").is_file()) if svg.is_dir() else None
    app.extensions["lessons"] = load_lessons(Path(app.config["LESSONS_DIR"]), exists)
    audio = Path(app.config["LESSON_AUDIO_DIR"])
    app.extensions["lesson_audio"] = {p.stem for p in audio.glob("*.mp3")} if audio.is_dir() else set()


def _register_blueprints(app: Flask) -> None:
    from .account.mydata import bp as mydata
    from .account.views import bp as account
    from .admin.views import bp as admin
    from .api.tokens import bp as api_tokens
    from .api.views import bp as api
    from .auth.views import bp as auth
    from .checkin.views import bp as checkin
    from .events.organize import bp as organize
    from .events.views import bp as events
    from .followup.myjob import bp as myjob
    from .followup.views import bp as followup
    from .help.views import bp as help_
    from .learn.views import bp as learn
    from .pwa.views import bp as pwa
    from .read_aloud.views import bp as read_aloud
    from .reminders.views import bp as reminders
    from .schedule.views import bp as schedule
    from .security.views import bp as security
    from .staff import reach, rule_pages, shift_pages, signs  # noqa: F401 - their routes join the staff blueprint
    from .staff.library import bp as library
    from .staff.sign_in_links import bp as sign_in_links
    from .staff.views import bp as staff
    from .support.views import bp as support
    from .tasks.views import bp as tasks
    from .today.views import bp as today

    for bp in (today, schedule, tasks, learn, events, organize, help_, account, mydata, support, auth,
               staff, library, sign_in_links, admin, api, api_tokens, read_aloud, reminders, pwa, followup,
               myjob, security, checkin):
        app.register_blueprint(bp)
