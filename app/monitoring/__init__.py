"""Watching the app from outside: a request id in every log line and error page (request_ids.py),
/readyz (readiness.py), Prometheus metrics at /metrics for whoever holds METRICS_TOKEN (metrics.py)."""


def init_monitoring(app):
    from app.monitoring.metrics import init_metrics
    from app.monitoring.request_ids import init_request_ids
    from app.monitoring.routes import bp

    init_request_ids(app)
    init_metrics(app)
    app.register_blueprint(bp)
