"""Hadir: registration, QR tickets and per-day check-in for government workshops."""
import logging
import sqlite3
from pathlib import Path

from flask import Flask
from flask.logging import default_handler
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app import models  # noqa: F401  (every model must be known to the metadata)
from app.accounts.cli import ACCOUNT_COMMANDS
from app.auth import init_auth
from app.blueprints import register_blueprints
from app.certificates import init_certificates
from app.certificates.cli import COMMANDS as CERTIFICATE_COMMANDS
from app.cli import COMMANDS as GENERAL_COMMANDS
from app.errors import register_error_handlers
from app.extensions import compress, csrf, db, limiter, login_manager, migrate
from app.formatting import register_template_helpers
from app.i18n import init_i18n
from app.input_guard import init_input_guard
from app.messages import init_messages
from app.messages.cli import messages_group
from app.monitoring import init_monitoring
from app.privacy.cli import COMMANDS as PRIVACY_COMMANDS
from app.routing import IdConverter
from app.security_headers import init_security_headers
from app.tenants.access import init_access
from app.tenants.cli import COMMANDS as TENANT_COMMANDS
from app.transactions import init_transactions
from app.waitlist import init_waitlist
from config import config_from_env

ROOT = Path(__file__).resolve().parent.parent

# What each part adds to the app: hooks, error handlers, template helpers. App-wide before_request
# hooks run in this order, after_request hooks in the reverse order.
INIT_HOOKS = (
    init_monitoring,  # first: the request id exists before any other hook may log
    init_transactions,
    init_i18n,
    init_auth,
    register_error_handlers,
    init_input_guard,
    init_access,
    init_security_headers,
    register_template_helpers,
    init_messages,
    init_certificates,
    init_waitlist,
)

COMMANDS = (*GENERAL_COMMANDS, *TENANT_COMMANDS, *PRIVACY_COMMANDS, *ACCOUNT_COMMANDS, messages_group,
            *CERTIFICATE_COMMANDS)


def create_app(config=None, **overrides):
    """Build the app from a config class (default: the one HADIR_ENV names) and overrides."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    # Every <int:...> in a route is an id: too big a number is a 404, not a database overflow.
    app.url_map.converters["int"] = IdConverter
    app.config.from_object(config if config is not None else config_from_env())
    app.config.update(overrides)
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)
    _prepare_sqlite_folder(app)

    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    _show_rate_limiter_warnings()
    _warn_of_limits_per_worker(app)

    register_blueprints(app)
    for init in INIT_HOOKS:
        init(app)
    for command in COMMANDS:
        app.cli.add_command(command)
    return app


def _show_rate_limiter_warnings():
    """Flask-Limiter says "Rate limit storage unreachable - falling back to in-memory storage" to a
    logger of its own that has only a NullHandler: unless logging is configured (a root handler),
    send it where the app's own messages go (stderr), so that a Redis outage is seen."""
    logger = logging.getLogger("flask-limiter")
    if not logging.getLogger().handlers and default_handler not in logger.handlers:
        logger.addHandler(default_handler)


def _warn_of_limits_per_worker(app):
    """With `memory://` storage each worker process counts the limits on its own: on N workers a client
    gets N times each limit. In production say so at start-up, unless WEB_CONCURRENCY says there is one
    worker (gunicorn's --workers given on its command line is not visible to the app)."""
    if not app.config.get("PRODUCTION") or not app.config.get("RATELIMIT_ENABLED", True):
        return
    if not str(app.config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        return
    workers = str(app.config.get("WEB_CONCURRENCY") or "").strip()
    if workers == "1":
        return
    app.logger.warning(
        "Rate limits are counted in each worker's memory (RATELIMIT_STORAGE_URI=memory://)%s: with N workers "
        "a client gets N times each limit. Set RATELIMIT_STORAGE_URI=redis://host:6379/0 to share them.",
        f" and WEB_CONCURRENCY={workers}" if workers else "",
    )


def _prepare_sqlite_folder(app):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and uri != "sqlite:///:memory:":
        Path(uri[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)


@sa_event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    """WAL, foreign keys, a busy timeout and secure_delete on every SQLite connection.

    Transactions are left to the sqlite3 driver's default (legacy) control, as SQLAlchemy's
    SQLite documentation ("Transactions with SQLite and the sqlite3 driver") describes it: BEGIN
    is sent before the first INSERT/UPDATE/DELETE, not before a SELECT, so a write transaction
    starts with its write and a writer that finds another one waits in SQLite's busy handler
    (up to busy_timeout) instead of failing with "database is locked" on upgrading a read.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    from flask import current_app

    try:
        timeout = current_app.config["SQLITE_BUSY_TIMEOUT_MS"]
    except RuntimeError:
        timeout = 30000
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # Freed space is overwritten with zeros: an erased NIP, phone or e-mail does not stay in a free page.
    cursor.execute("PRAGMA secure_delete = ON")
    cursor.close()
