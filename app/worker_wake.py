"""How the message worker is woken: the flag a transaction sets, and the RQ queue (Redis) it is woken through.

KICK is set on the Session when a transaction wrote a message (app/messages/) or held an anonymous answer
(app/evaluation/batches.py); app/messages/__init__.py wakes a worker (an RQ job on job_queue(), see
app/messages/jobs.py) after the commit. The monitoring reads the queue's length here too.
"""
from flask import current_app
from redis import Redis
from rq import Queue

KICK = "outbox_kick"
QUEUE_NAME = "hadir-messages"
_connections: dict[str, Redis] = {}


def redis_connection(url):
    if url not in _connections:
        _connections[url] = Redis.from_url(url)
    return _connections[url]


def job_queue(url=None):
    url = url or current_app.config["JOB_QUEUE_URL"]
    return Queue(QUEUE_NAME, connection=redis_connection(url))
