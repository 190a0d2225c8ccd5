"""/readyz for the load balancer, /metrics for Prometheus (only with METRICS_TOKEN, as a bearer token)."""
import hmac

from flask import Blueprint, abort, current_app, request

from app.monitoring.metrics import exposition
from app.monitoring.readiness import readiness
from app.security_headers import NO_STORE, cache_policy

bp = Blueprint("monitoring", __name__)
cache_policy(bp, NO_STORE)


@bp.route("/readyz")
def readyz():
    """200 when every service this host needs answers; 503 naming those that do not."""
    ready, results = readiness()
    return {"status": "ready" if ready else "not ready", "checks": results}, 200 if ready else 503


@bp.route("/metrics")
def metrics():
    """Not public: a 404 unless METRICS_TOKEN is set, then 401 without `Authorization: Bearer <token>`."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return "unauthorised\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"',
                                       "Content-Type": "text/plain; charset=utf-8"}
    return exposition(), 200, {"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}
