"""Error pages for people, JSON for API callers; a failed request never leaves a half-done transaction."""
import time

from flask import current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db, limiter
from app.monitoring.request_ids import current_request_id


def wants_json():
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json"
    )


def _message(code):
    return {
        400: _("Permintaan tidak dapat diproses."),
        401: _("Silakan masuk terlebih dahulu."),
        403: _("Anda tidak berhak membuka halaman ini."),
        404: _("Halaman tidak ditemukan."),
        405: _("Metode tidak diizinkan."),
        413: _("Berkas terlalu besar."),
        429: _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."),
        500: _("Terjadi kesalahan pada server. Panitia sudah dapat melihatnya di log."),
    }.get(code, _("Terjadi kesalahan."))


def _message_for(code):
    """The page's words; for 429 how long to wait, from the limit that was hit (Flask-Limiter's
    current_limit): a limit of 15 minutes is no "moment"."""
    limit = limiter.current_limit if code == 429 else None
    if limit is None:
        return _message(code)
    minutes = max(1, round((limit.reset_at - time.time()) / 60))
    return _("Terlalu banyak permintaan. Coba lagi dalam %(minutes)d menit.", minutes=minutes)


def handle_http_error(error):
    code = error.code or 500
    if request_ctx.url_adapter is None:
        # A Host outside TRUSTED_HOSTS: no URL can be built, so no page either.
        return (f"{_message(code)}\n{_('Kode permintaan')}: {current_request_id()}\n", code,
                {"Content-Type": "text/plain; charset=utf-8"})
    if isinstance(error, CSRFError):
        message = _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman, lalu kirim lagi.")
        if wants_json():
            return {"result": "invalid_request", "errors": {"csrf": [message]}}, 400
        return render_template("errors/error.html", code=400, message=message), 400
    if code >= 500:
        db.session.rollback()
    if wants_json():
        return {"result": "error", "status": code, "message": _message_for(code)}, code
    return render_template("errors/error.html", code=code, message=_message_for(code)), code


def handle_unexpected_error(error):
    db.session.rollback()
    # The route, not the path: a path may hold a ticket token, which must not reach the logs.
    where = request.url_rule.rule if request.url_rule else request.path
    current_app.logger.exception("Unhandled error on %s %s", request.method, where)
    return handle_http_error(InternalServerError(original_exception=error))


def register_error_handlers(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
