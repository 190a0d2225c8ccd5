"""One id per request, in the X-Request-ID answer header, in every log line written while the request
runs, and on the error pages: a committee's screenshot of a 500 leads to its lines in the log.

The id comes from the X-Request-ID header when a proxy we trust sets it (TRUST_REQUEST_ID, on by
default when PROXY_COUNT says there is one; nginx: `proxy_set_header X-Request-ID $request_id;`),
so the proxy's log and the app's share it. Otherwise, or when the header is not a plain token,
the app makes one.
"""
import logging
import re
import secrets

from flask import current_app, has_request_context, request
from flask.logging import default_handler

HEADER = "X-Request-ID"
_ENVIRON_KEY = "hadir.request_id"
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOG_FORMAT = "[%(asctime)s] %(levelname)s [%(request_id)s] in %(module)s: %(message)s"


def current_request_id():
    """The current request's id ("-" outside a request)."""
    if not has_request_context():
        return "-"
    # On the request, not on `g`: an app context may outlive one request (a CLI, the tests).
    rid = request.environ.get(_ENVIRON_KEY)
    if rid is None:
        rid = request.environ[_ENVIRON_KEY] = _incoming_id() or secrets.token_hex(16)
    return rid


def _incoming_id():
    if not current_app.config["TRUST_REQUEST_ID"]:
        return None
    given = request.headers.get(HEADER, "")
    return given if _ACCEPTABLE.fullmatch(given) else None


def _answer_with_id(response):
    response.headers[HEADER] = current_request_id()
    return response


_factory_installed = False


def _install_record_factory():
    """Every log record, from any logger, carries `request_id`: handlers may use %(request_id)s."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def record_with_request_id(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.request_id = current_request_id()
        return record

    logging.setLogRecordFactory(record_with_request_id)
    _factory_installed = True


def init_request_ids(app):
    _install_record_factory()
    default_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    if not logging.getLogger().handlers:
        # The app's own loggers outside "app" (hadir.messages …) write where Flask's do, with the id.
        hadir = logging.getLogger("hadir")
        if default_handler not in hadir.handlers:
            hadir.addHandler(default_handler)
    app.after_request(_answer_with_id)
    app.jinja_env.globals["request_id"] = current_request_id
