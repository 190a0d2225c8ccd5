"""The organizer console under /admin: event set-up, participants, live dashboard, import and export.

Every view says who may call it (`@console(MANAGE)`, `@console_page`, `@admin_only`: app/tenants/access.py):
the console's users (admins, committee), and for a view of one event those whose scope holds it.
"""
from flask import Blueprint

from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Personal data everywhere, exports included: never kept by a cache or the back-forward cache.
cache_policy(bp, PRIVATE)


from app.admin import (  # noqa: E402,F401  (they add to bp)
    dashboard_routes,
    evaluation_routes,
    material_routes,
    paperwork_routes,
    participant_routes,
    routes,
    user_routes,
)
