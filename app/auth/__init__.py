"""Committee accounts: login for admins and operators, and role checks."""
from functools import wraps

from flask import abort, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import User


def init_auth(app):
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Silakan masuk terlebih dahulu.")
    login_manager.login_message_category = "warning"

    @login_manager.user_loader
    def load_user(user_id):
        return db.session.get(User, int(user_id))

    @app.context_processor
    def station_forgetting():
        # Set by logout for the page that follows it (templates/base.html loads forget.js).
        return {"forget_station": session.pop("forget_station", False)}


def admin_required(view):
    """Only a logged-in user of the console (admin, committee); anyone else gets the login page or 403.
    Which events they reach is app/tenants/access.py's business."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.has_console:
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
