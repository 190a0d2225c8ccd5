"""The sending loop: what `flask messages work` runs, in-process or as RQ jobs."""
import logging
import time
from collections.abc import Callable

from flask import current_app

from app.evaluation.batches import flush_due_batches
from app.extensions import db
from app.messages.delivery import Outcome, deliver_due, worker_name
from app.messages.reminders import materialise_due_reminders
from app.messages.services import send_forgotten_tickets

log = logging.getLogger("hadir.messages")


# Work other domains do at every pass, before the messages go out, by name (app/waitlist registers the
# offers of freed seats). Each task commits its own work.
PASS_TASKS: dict[str, Callable[[], object]] = {}


def tick(worker=None):
    """One pass: "Lupa tiket?" lookups and due scheduled reminders become messages, anonymous answers due
    for their batch are written (app/evaluation/batches.py), the other domains' tasks run (PASS_TASKS),
    then every due
    message is sent."""
    send_forgotten_tickets()
    materialise_due_reminders()
    try:
        flush_due_batches()
    except Exception:  # the messages still go; the answers wait, sealed, for the next pass
        log.exception("writing the anonymous answers' batches failed")
        db.session.rollback()
    for name, task in PASS_TASKS.items():
        try:
            task()
        except Exception:  # one domain's failure must not stop the messages
            log.exception("the %s task of the worker's pass failed", name)
            db.session.rollback()
    return deliver_due(worker=worker)


def poll_forever(*, once=False, stop=None):
    """Without Redis: pass after pass, MESSAGES_POLL_SECONDS apart. `stop()` ends the loop."""
    worker = worker_name()
    total = Outcome()
    while True:
        try:
            total += tick(worker)
        except Exception:  # a database restart must not end the worker; the next pass tries again
            log.exception("message worker pass failed")
            db.session.rollback()
        if once or (stop and stop()):
            return total
        time.sleep(current_app.config["MESSAGES_POLL_SECONDS"])
