"""Every blueprint of the app, in one list, and the console pages that join a blueprint defined elsewhere.

Each domain keeps its console pages in app/<domain>/console.py. Most add them to the one console
blueprint (`admin`, app/console.py), so that their endpoints stay `admin.*`: importing such a module
is what adds its routes, and CONSOLE_PAGES is the one place that does it, before create_app registers
the blueprints (a blueprint takes no new route once registered).
"""
from app import console, i18n
from app.accounts import console as accounts_console
from app.accounts import routes as accounts_routes
from app.admin import dashboard_routes
from app.api import health
from app.api import routes as api_routes
from app.auth import routes as auth_routes
from app.certificates import badge_routes, ledger_routes
from app.certificates import console as certificates_console
from app.certificates import routes as certificates_routes
from app.checkin import console as checkin_console
from app.checkin import participant_routes as checkin_participant_pages
from app.checkin import routes as checkin_routes
from app.delegates import console as delegates_console
from app.delegates import routes as delegates_routes
from app.evaluation import console as evaluation_console
from app.evaluation import routes as evaluation_routes
from app.events import console as events_console
from app.exports import console as exports_console
from app.materials import console as materials_console
from app.materials import routes as materials_routes
from app.messages import console as messages_console
from app.messages import routes as messages_routes
from app.monitoring import routes as monitoring_routes
from app.overview import routes as overview_routes
from app.privacy import admin_routes as privacy_console
from app.privacy import routes as privacy_routes
from app.public import routes as public_routes
from app.registration import console as registration_console
from app.registration import routes as registration_routes
from app.speakers import console as speakers_console
from app.tenants import routes as tenants_routes
from app.waitlist import routes as waitlist_routes

# Modules that add their pages to the console blueprint (console.bp) or, for badges and the JP ledger,
# to the certificates console's blueprint.
CONSOLE_PAGES = (
    dashboard_routes, events_console, registration_console, checkin_participant_pages, materials_console,
    evaluation_console, exports_console, accounts_console, messages_console, badge_routes, ledger_routes,
)

# In the order create_app registered them before this list existed.
BLUEPRINTS = (
    monitoring_routes.bp, i18n.bp,
    messages_routes.bp,
    public_routes.bp, registration_routes.bp, auth_routes.bp, api_routes.bp, checkin_routes.bp, health.bp,
    materials_routes.bp, console.bp, evaluation_routes.bp,
    privacy_routes.bp, privacy_console.bp, overview_routes.bp, tenants_routes.bp,
    accounts_routes.bp, delegates_routes.bp, delegates_console.bp, checkin_console.bp, speakers_console.bp,
    waitlist_routes.bp,
    certificates_routes.bp, certificates_console.bp,
)


def register_blueprints(app):
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
