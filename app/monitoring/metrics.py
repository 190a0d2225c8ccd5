"""Prometheus metrics (prometheus-client).

- hadir_http_request_duration_seconds{method, url_rule, status}: a histogram per route and status;
  its _count is the number of requests by route and status. (The route, never the path: a path
  may hold a ticket token; "(none)" when no route matched.) /healthz, /readyz and /metrics are not
  counted. Two hooks and a cached labelled child: about 10 µs of CPU a request (docs/pemasangan.md).
- hadir_scans_total{result}: check-in API scans by result (checked_in, already_checked_in, …).
- hadir_outbox_messages{status} and hadir_outbox_oldest_due_age_seconds: the outbox, read from the
  database when scraped.
- hadir_job_queue_jobs: jobs waiting in the RQ queue (with JOB_QUEUE_URL), read when scraped.

Under gunicorn each worker counts in its own memory unless PROMETHEUS_MULTIPROC_DIR names a folder
(prometheus-client's multiprocess mode, deploy/gunicorn.conf.py): then /metrics adds up every
worker's files, whichever worker answers the scrape.
"""
from time import perf_counter

from flask import current_app, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy.exc import SQLAlchemyError

from app.monitoring.figures import job_queue_length, outbox_figures

NOT_COUNTED = frozenset({"/healthz", "/readyz", "/metrics"})
# Request durations: most answers take milliseconds; a large upload or ZIP takes seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_STARTED = "hadir.metrics.started"


def init_metrics(app):
    # A registry per app: the tests build many apps in one process, and each registers its metrics.
    registry = CollectorRegistry(auto_describe=True)
    app.extensions["hadir.metrics"] = registry
    app.extensions["hadir.scans"] = Counter("hadir_scans_total", "Check-in API scans by result", ["result"],
                                            registry=registry)
    if not app.config["METRICS_ENABLED"]:
        return
    durations = Histogram("hadir_http_request_duration_seconds", "Request durations by route and status",
                          ["method", "url_rule", "status"], buckets=BUCKETS, registry=registry)
    # The labelled child per (method, route, status), kept: prometheus-client's labels() validates
    # and locks on every call, which is most of the cost of timing a request.
    children: dict[tuple[str, str, int], Histogram] = {}

    def start_timer():
        request.environ[_STARTED] = perf_counter()

    def observe(response):
        started = request.environ.get(_STARTED)
        rule = request.url_rule
        if started is None or (rule is not None and rule.rule in NOT_COUNTED):
            return response
        key = (request.method, rule.rule if rule is not None else "(none)", response.status_code)
        child = children.get(key)
        if child is None:
            child = children[key] = durations.labels(*key)
        child.observe(perf_counter() - started)
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)
    app.after_request(observe)


def count_scan(result):
    """One scan answered with `result` (the API's result word)."""
    current_app.extensions["hadir.scans"].labels(result).inc()


class _ScrapeTimeFigures:
    """What is read when Prometheus asks: the outbox's depth and age, the job queue's length."""

    def collect(self):
        try:
            by_status, oldest_due_age = outbox_figures()
        except SQLAlchemyError:
            # The request counters are still worth reading when the database is not (/readyz says why).
            current_app.logger.warning("metrics: the outbox could not be read", exc_info=True)
        else:
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
