"""Committee accounts: login for admins and operators, and role checks."""
from functools import wraps

from flask import abort, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.services import user_for_session_id
from app.extensions import login_manager


def init_auth(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(session_id):
        return user_for_session_id(session_id)

    @app.context_processor
    def station_forgetting():
        # Set by logout for the page that follows it (templates/base.html loads forget.js).
        return {"forget_station": session.pop("forget_station", False)}


def admin_required(view):
    """Only a logged-in admin; anyone else gets the login page or 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def operator_required(view):
    """A logged-in operator or admin."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.can_check_in:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
