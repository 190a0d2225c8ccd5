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

