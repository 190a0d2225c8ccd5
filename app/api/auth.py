"""Who is calling the API: a bearer token (devices, scripts) or the operator's login session.

Bearer requests carry no cookie a browser could be tricked into sending, so they need
no CSRF token; a session-authenticated call must send the X-CSRFToken header.
"""
from flask import abort, current_app, g, request
from flask_login import current_user

from app.auth.services import api_caller_for_token
from app.extensions import csrf, db
from app.tenants.operators import may_operate_recently


def authenticate_api_request():
    """Set g.api_user, or answer 401 (nobody) / 403 (not a check-in role) / 400 (missing CSRF header)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        # A token's user is remembered for CHECKIN_CACHE_SECONDS (app/cache.py).
        user, marked_used = api_caller_for_token(header[7:].strip())
        if user is None:
            abort(401)
        if marked_used:
            # At most once a minute per token, before the request's own work: committed now, so
            # that a request that writes nothing (a GET) keeps the mark too.
            db.session.commit()
    elif current_user.is_authenticated:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        user = current_user._get_current_object()
    else:
        abort(401)
    if not user.can_check_in:
        # A role that checks nobody in (pengamat): an event's routes do not exist for it.
        abort(404 if "slug" in (request.view_args or {}) else 403)
    g.api_user = user


def require_operator_of(event):
    """404 unless the caller may check people in for `event`: outside one's scope an event does not exist."""
    if not may_operate_recently(g.api_user, event):
        abort(404)
