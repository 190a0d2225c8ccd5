"""Committee accounts: login for admins and operators, and role checks."""
from flask import session
from flask_babel import lazy_gettext as _l

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
