"""Headers every response carries, unless the view already chose a stricter value, and
the one place that decides how a response may be cached.

The pages load only what the app itself serves: no inline scripts or styles, no CDN.
The check-in station adds a camera (getUserMedia needs no CSP source), a service worker
(worker-src 'self'), IndexedDB and fetch to the same origin (connect-src 'self').

Caching: a blueprint or a single response is given a policy with `cache_policy()`; which
one a response gets, first that applies:
1. the policy given to the response itself;
2. the policy of its blueprint (over whatever the view or send_file put there);
3. a Cache-Control header the view wrote (e.g. send_file's own);
4. `PRIVATE` for anything a signed-in committee member sees, static files aside.
"""
from typing import TypeVar
from weakref import WeakSet

from flask import Blueprint, Response, request
from flask_login import current_user

# Personal data (names, NIP, phone numbers, ticket links): kept by no cache, shared or the
# browser's own, nor by its back-forward cache.
PRIVATE = "private, no-store"
# Nothing personal, but an old copy would mislead (a liveness probe).
NO_STORE = "no-store"
# May be kept, but asked again each time (public files, the service worker's script).
REVALIDATE = "no-cache"

_blueprint_policies: dict[str, str] = {}
_marked_responses: "WeakSet[Response]" = WeakSet()
Target = TypeVar("Target", Blueprint, Response)


def cache_policy(target: Target, policy: str) -> Target:
    """Give `target`, a response or every response of a blueprint, its Cache-Control `policy`."""
    if isinstance(target, Blueprint):
        _blueprint_policies[target.name] = policy
    else:
        target.headers["Cache-Control"] = policy
        _marked_responses.add(target)
    return target


def _apply_cache_policy(response):
    if response in _marked_responses:
        return
    policy = next((_blueprint_policies[name] for name in request.blueprints if name in _blueprint_policies), None)
    if policy is not None:
        response.headers["Cache-Control"] = policy
    elif "Cache-Control" not in response.headers and request.endpoint != "static" and current_user.is_authenticated:
        # What a signed-in committee member sees (names, NIP, phone numbers) stays out of every cache.
        response.headers["Cache-Control"] = PRIVATE

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
    _apply_cache_policy(response)
    return response


def init_security_headers(app):
    app.after_request(add_security_headers)
