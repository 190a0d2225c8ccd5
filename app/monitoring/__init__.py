"""Watching the app from outside: a request id in every log line and error page (request_ids.py),
/readyz (readiness.py), Prometheus metrics at /metrics for whoever holds METRICS_TOKEN (metrics.py)."""
from app.monitoring.metrics import init_metrics
from app.monitoring.request_ids import init_request_ids


def init_monitoring(app):
    init_request_ids(app)
    init_metrics(app)
