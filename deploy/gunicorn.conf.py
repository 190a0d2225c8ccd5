"""gunicorn settings for one Hadir app host (docs/pemasangan.md). Used by deploy/hadir-web.service:
    gunicorn -c deploy/gunicorn.conf.py wsgi:app
"""
import multiprocessing
import os
import shutil

bind = "0.0.0.0:8000"  # the proxy reaches every app host here; firewall it to the proxy alone
# Threads for the page and API work (they wait on PostgreSQL, Redis and the object store); two
# processes per core. Each process keeps up to 15 database connections (SQLAlchemy's pool: 5 + 10
# overflow): hosts × workers × 15 must stay under PostgreSQL's max_connections.
worker_class = "gthread"
workers = 2 * multiprocessing.cpu_count()
threads = 4
timeout = 120  # a 50 MB upload over a slow venue link, or a large certificate ZIP
graceful_timeout = 30
keepalive = 5  # the proxy keeps connections open to the app hosts
max_requests = 5000  # a worker is replaced now and then: memory stays flat
max_requests_jitter = 500
# No access log here: paths can hold ticket tokens (personal data). The proxy's log, with the same
# X-Request-ID, is the access log; the app logs errors with the request id.
accesslog = None
errorlog = "-"
loglevel = "info"
# gunicorn's own forwarded_allow_ips stays at its default: the app's ProxyFix (PROXY_COUNT) is the one
# place that decides which X-Forwarded-* headers count.


def on_starting(server):
    """prometheus-client's multiprocess mode: every worker writes its counts to files in
    PROMETHEUS_MULTIPROC_DIR, and /metrics adds them up. Start from an empty folder."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
