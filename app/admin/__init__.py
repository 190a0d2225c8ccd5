"""The organizer console under /admin: event set-up, participants, live dashboard, import and export.

Every route of the blueprint is for the console's users (admins, committee), and a route of one
event for those whose scope holds it: app/tenants/access.py checks both (console_blueprint).
"""
from flask import Blueprint, abort
from flask_login import current_user

from app.extensions import login_manager
from app.security_headers import PRIVATE, cache_policy
from app.tenants.access import console_blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Personal data everywhere, exports included: never kept by a cache or the back-forward cache.
cache_policy(bp, PRIVATE)
console_blueprint(bp)


@bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_console:
        abort(403)
    return None


from app.admin import (  # noqa: E402,F401  (they add to bp)
    dashboard_routes,
    evaluation_routes,
    material_routes,
    paperwork_routes,
    participant_routes,
    routes,
    user_routes,
)
