"""A liveness probe that touches nothing: also the baseline the check-in bench compares against."""
from flask import Blueprint

from app.security_headers import NO_STORE, cache_policy

bp = Blueprint("health", __name__)
cache_policy(bp, NO_STORE)


@bp.route("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
