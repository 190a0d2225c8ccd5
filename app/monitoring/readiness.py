"""What /readyz checks: every service this host needs to answer requests, each by name.

The database always; Redis when the rate limits count there (RATELIMIT_STORAGE_URI redis://…);
the job queue's Redis when JOB_QUEUE_URL is set; the file store (folder or object store). A check
that fails is named with the kind of error; the details go to the log with the request id.
"""
import logging

from flask import current_app
from redis import Redis
from sqlalchemy import text

from app.extensions import db
from app.storage import current_storage

log = logging.getLogger(__name__)
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_pings: dict[str, Redis] = {}


def _redis_ping(url):
    # A client of its own with short timeouts: a probe must answer, not hang on a dead Redis.
    client = _pings.get(url)
    if client is None:
        client = _pings[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    client.ping()


def _database():
    try:
        db.session.execute(text("SELECT 1"))
    finally:
        db.session.rollback()


def checks(config):
    """[(name, check)] for this configuration, in the order they are run."""
    found = [("database", _database)]
    limits = config.get("RATELIMIT_STORAGE_URI") or ""
    if config.get("RATELIMIT_ENABLED") and limits.startswith(_REDIS_SCHEMES):
        found.append(("redis", lambda: _redis_ping(limits)))
    if config.get("JOB_QUEUE_URL"):
        found.append(("queue", lambda: _redis_ping(config["JOB_QUEUE_URL"])))
    found.append(("storage", lambda: current_storage().check()))
    return found


def readiness():
    """(ready, {name: "ok" or what went wrong})."""
    results = {}
    for name, check in checks(current_app.config):
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "not ready", and says which
            log.warning("readiness: %s is not reachable: %s", name, error)
            results[name] = f"unreachable ({type(error).__name__})"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results
