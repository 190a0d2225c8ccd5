"""RQ jobs, when JOB_QUEUE_URL names a Redis: any number of hosts run `flask messages work` (or
`rq worker hadir-messages`) and share the sending.

The outbox table stays the truth: a job only says "look at the outbox now". A lost job loses
nothing; the next tick (every MESSAGES_POLL_SECONDS, chained through RQ's scheduler) finds the
message still due.
"""
import logging
from contextlib import contextmanager
from datetime import timedelta

from flask import current_app, has_app_context
from redis.exceptions import RedisError

from app.extensions import db
from app.messages import worker
from app.worker_wake import job_queue, redis_connection

log = logging.getLogger("hadir.messages")

TICK_KEY = "hadir:messages:tick"
_app = None


def kick():
    """Ask a worker to look at the outbox now (after a commit that wrote messages)."""
    if not has_app_context() or not current_app.config.get("JOB_QUEUE_URL"):
        return  # the polling worker of `make run` finds them within MESSAGES_POLL_SECONDS
    try:
        job_queue().enqueue(deliver_job, job_timeout=600, result_ttl=60, failure_ttl=3600)
    except RedisError as error:
        log.warning("could not wake a message worker (%s); the next tick sends the messages", error)


@contextmanager
def _app_context():
    """The current app, or one built from the environment when run by a plain `rq worker`."""
    if has_app_context():
        yield current_app
        return
    global _app
    if _app is None:  # one app per worker process, not one per job
        from app import create_app  # app/__init__.py imports this module: create_app is not defined yet then

        _app = create_app()
    with _app.app_context():
        yield _app


def schedule_next_tick(app):
    """Schedule the next tick in MESSAGES_POLL_SECONDS unless one is already on its way: one chain,
    however many workers and wake-ups call this."""
    poll = app.config["MESSAGES_POLL_SECONDS"]
    url = app.config["JOB_QUEUE_URL"]
    try:
        if redis_connection(url).set(TICK_KEY, "1", nx=True, ex=max(int(poll), 1)):
            job_queue(url).enqueue_in(timedelta(seconds=poll), tick_job, job_timeout=600, result_ttl=60)
    except RedisError as error:
        log.warning("could not schedule the next message tick (%s); the next wake-up schedules it", error)


def _tick_then_schedule_next():
    with _app_context() as app:
        try:
            return worker.tick().__dict__
        except Exception:
            db.session.rollback()  # a database restart: this pass failed, the next one starts clean
            raise
        finally:
            # Whatever this pass did, the chain goes on: a tick that raised once must not stop the
            # scheduled reminders for good.
            schedule_next_tick(app)


def deliver_job():
    """Due reminders become messages, and every due message is sent. It also starts the tick chain if
    none is running, so a plain `rq worker --with-scheduler hadir-messages` keeps ticking after its
    first wake-up."""
    return _tick_then_schedule_next()


def tick_job():
    """Turn due reminders into messages, send what is due, and schedule the next tick (one chain)."""
    return _tick_then_schedule_next()
