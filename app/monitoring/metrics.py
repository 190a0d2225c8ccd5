"""Prometheus metrics (prometheus-flask-exporter on prometheus-client).

- hadir_http_request_duration_seconds{method, url_rule, status}: a histogram per route and status;
  its _count is the number of requests by route and status. (The route, never the path: a path
  may hold a ticket token.) /healthz, /readyz and /metrics are not counted.
- hadir_scans_total{result}: check-in API scans by result (checked_in, already_checked_in, …).
- hadir_outbox_messages{status} and hadir_outbox_oldest_due_age_seconds: the outbox, read from the
  database when scraped.
- hadir_job_queue_jobs: jobs waiting in the RQ queue (with JOB_QUEUE_URL), read when scraped.

Under gunicorn each worker counts in its own memory unless PROMETHEUS_MULTIPROC_DIR names a folder
(prometheus-client's multiprocess mode, deploy/gunicorn.conf.py): then /metrics adds up every
worker's files, whichever worker answers the scrape.
"""
from flask import current_app
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_flask_exporter import PrometheusMetrics

NOT_COUNTED = r"^/(healthz|readyz|metrics)$"


def init_metrics(app):
    # A registry per app: the tests build many apps in one process, and each registers its metrics.
    registry = CollectorRegistry(auto_describe=True)
    if app.config["METRICS_ENABLED"]:
        PrometheusMetrics(
            app, path=None, registry=registry, defaults_prefix="hadir", group_by="url_rule",
            excluded_paths=NOT_COUNTED,
        )
    app.extensions["hadir.metrics"] = registry
    app.extensions["hadir.scans"] = Counter("hadir_scans_total", "Check-in API scans by result", ["result"],
                                            registry=registry)


def count_scan(result):
    """One scan answered with `result` (the API's result word)."""
    current_app.extensions["hadir.scans"].labels(result).inc()


class _ScrapeTimeFigures:
    """What is read when Prometheus asks: the outbox's depth and age, the job queue's length."""

    def collect(self):
        from app.monitoring.figures import job_queue_length, outbox_figures

        by_status, oldest_due_age = outbox_figures()
        messages = GaugeMetricFamily("hadir_outbox_messages", "Outbox messages by status", labels=["status"])
        for status, count in sorted(by_status.items()):
            messages.add_metric([status], count)
        yield messages
        yield GaugeMetricFamily("hadir_outbox_oldest_due_age_seconds",
                                "How long the oldest queued message has been due (0: none due)",
                                value=oldest_due_age)
        length = job_queue_length()
        if length is not None:
            yield GaugeMetricFamily("hadir_job_queue_jobs", "Jobs waiting in the RQ queue", value=length)


def exposition():
    """The text Prometheus reads: this process's (or, in multiprocess mode, every worker's) counters,
    then the figures read now."""
    multiproc_dir = current_app.config.get("PROMETHEUS_MULTIPROC_DIR")
    if multiproc_dir:
        from prometheus_client import multiprocess

        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted, path=multiproc_dir)
    else:
        counted = current_app.extensions["hadir.metrics"]
    now = CollectorRegistry(auto_describe=False)
    now.register(_ScrapeTimeFigures())
    return generate_latest(counted) + generate_latest(now)
