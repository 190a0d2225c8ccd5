"""`flask messages …`: the worker that sends the outbox, and a look at it."""
import click
from flask import current_app
from flask.cli import AppGroup
from rq import SimpleWorker
from sqlalchemy import func

from app.extensions import db
from app.messages.jobs import tick_job
from app.messages.worker import poll_forever
from app.models import OutboxMessage
from app.worker_wake import job_queue, redis_connection

messages_group = AppGroup("messages", help="Send and inspect participant messages (the outbox).")


@messages_group.command("work")
@click.option("--once", is_flag=True, help="One pass over what is due, then stop.")
@click.option("--burst", is_flag=True, help="With JOB_QUEUE_URL: stop when the RQ queue is empty.")
def work_command(once, burst):
    """Send due messages. With JOB_QUEUE_URL: an RQ worker on the hadir-messages queue (any number of hosts);
    without: a loop polling the outbox every MESSAGES_POLL_SECONDS. No MAIL_SERVER: e-mails are logged, kept unsent.
    """
    url = current_app.config.get("JOB_QUEUE_URL")
    if url and not once:
        queue = job_queue(url)
        queue.enqueue(tick_job, job_timeout=600, result_ttl=60)
        click.echo(f"RQ worker on {queue.name} ({url.split('@')[-1]})")
        # SimpleWorker runs jobs in this process, inside this app context: no fork holding
        # the parent's database connections.
        SimpleWorker([queue], connection=redis_connection(url)).work(burst=burst, with_scheduler=not burst)
        return
    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set: e-mails are written to the log and kept unsent.", err=True)
    outcome = poll_forever(once=once)
    click.echo(f"sent {outcome.sent}, retried {outcome.retried}, failed {outcome.failed}, kept unsent {outcome.held}")


@messages_group.command("status")
def status_command():
    """How many messages are queued, sending, sent and failed, by channel."""
    rows = db.session.execute(
        db.select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .group_by(OutboxMessage.channel, OutboxMessage.status)
        .order_by(OutboxMessage.channel, OutboxMessage.status)
    ).all()
    for channel, status, count in rows:
        click.echo(f"{channel}\t{status}\t{count}")
    if not rows:
        click.echo("no messages")
