"""The organizer console's blueprint (`admin`, under /admin), shared by every domain's console.py.

Each domain keeps its console pages in its own package (app/<domain>/console.py) and adds them to this
one blueprint, so that their endpoints stay `admin.*`; app/blueprints.py lists those modules. Every
route is for the console's users (admins, committee), and a route of one event for those whose scope
holds it: app/tenants/access.py checks both (console_blueprint).
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
