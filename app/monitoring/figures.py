"""Figures read at scrape time: the outbox (database) and the RQ queue (Redis)."""
from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import func

from app.extensions import db
from app.models import MESSAGE_QUEUED, OutboxMessage, utcnow
from app.worker_wake import job_queue


def outbox_figures():
    """({status: count}, seconds since the oldest queued message fell due, 0 when none is due)."""
    try:
        return _outbox_figures()
    finally:
        db.session.rollback()  # a read, then nothing held (and a failed one cleared)


def _outbox_figures():
    by_status = dict(db.session.execute(
        db.select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).tuples().all())
    now = utcnow()
    oldest = db.session.execute(
        db.select(func.min(OutboxMessage.next_attempt_at))
        .where(OutboxMessage.status == MESSAGE_QUEUED, OutboxMessage.next_attempt_at <= now)
    ).scalar_one_or_none()
    return by_status, max((now - oldest).total_seconds(), 0.0) if oldest else 0.0


def job_queue_length():
    """Jobs waiting in the messages queue, or None without JOB_QUEUE_URL (or when Redis does not answer)."""
    url = current_app.config.get("JOB_QUEUE_URL")
    if not url:
        return None
    try:
        return job_queue(url).count
    except RedisError:
        return None
