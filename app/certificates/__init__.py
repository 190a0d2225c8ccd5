"""E-certificates with JP, verifiable by QR, and name badges.

init_certificates(app) gives the ticket page its helper.
"""
from flask import current_app, has_request_context, request

from app.certificates.issuing import active_certificate


def public_base_url():
    """Where verification links point: PUBLIC_BASE_URL, else the address of the current request."""
    configured = current_app.config.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    raise RuntimeError("PUBLIC_BASE_URL is not set")


def init_certificates(app):
    # The ticket page's certificate part (templates/certificates/_ticket_certificate.html) asks this.
    app.jinja_env.globals["active_certificate"] = active_certificate
