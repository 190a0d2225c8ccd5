"""App-wide hooks run only where they apply: a scan pays for no check it does not need.
(That limits still count where they are: tests/test_certificates_documents.py, tests/test_login_limits.py.)"""
from app.extensions import UNLIMITED_BLUEPRINTS


def limited(view):
    """Whether Flask-Limiter's limit decorator wraps `view` (it marks its wrappers so)."""
    return getattr(view, "__wrapper-limiter-instance", None) is not None


def test_the_blueprints_that_skip_the_rate_limiter_have_no_limited_route(app):
    assert [endpoint for endpoint, view in app.view_functions.items()
            if endpoint.split(".")[0] in UNLIMITED_BLUEPRINTS and limited(view)] == []
    # The check does see a limited route (the login form's), so the test above can fail.
    assert limited(app.view_functions["auth.login"])



def test_every_console_view_says_who_may_call_it(app):
    """Access is visible at the view: each view of a console blueprint carries one of the decorators of
    app/tenants/access.py (`@console(MANAGE)`, `@console_page`, `@admin_only`), which marks it."""
    console = {name for name in app.blueprints if name.startswith("admin")}
    views = {endpoint: view for endpoint, view in app.view_functions.items() if endpoint.split(".")[0] in console}
    assert len(views) >= 90  # every console view is seen
    assert [endpoint for endpoint, view in views.items() if getattr(view, "access", None) is None] == []
    # A view without a decorator is seen so (a public page carries none), so the test above can fail.
    assert getattr(app.view_functions["public.event_page"], "access", None) is None
