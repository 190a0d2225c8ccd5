"""The organizer console's blueprint (`admin`, under /admin), shared by every domain's console.py.

Each domain keeps its console pages in its own package (app/<domain>/console.py) and adds them to this
one blueprint, so that their endpoints stay `admin.*`; app/blueprints.py lists those modules. Every
view says who may call it (`@console(MANAGE)`, `@console_page`, `@admin_only`: app/tenants/access.py):
the console's users (admins, committee), and for a view of one event those whose scope holds it.
"""
from flask import Blueprint

from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Personal data everywhere, exports included: never kept by a cache or the back-forward cache.
cache_policy(bp, PRIVATE)
