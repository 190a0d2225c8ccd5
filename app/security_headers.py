"""Headers every response carries, unless the view already chose a stricter value.

The pages load only what the app itself serves: no inline scripts or styles, no CDN.
The check-in station adds a camera (getUserMedia needs no CSP source), a service worker
(worker-src 'self'), IndexedDB and fetch to the same origin (connect-src 'self').
"""
from flask import request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Tickets and downloads already say no-referrer, which is stricter and stays.
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # What a signed-in committee member sees (names, NIP, phone numbers) stays out of every cache.
    if "Cache-Control" not in headers and request.endpoint != "static" and current_user.is_authenticated:
        headers["Cache-Control"] = "private, no-store"
    return response


def init_security_headers(app):
    app.after_request(add_security_headers)
