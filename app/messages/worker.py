"""The sending loop: what `flask messages work` runs, in-process or as RQ jobs."""
import logging
import time
from collections.abc import Callable

from flask import current_app

from app.messages.delivery import Outcome, deliver_due, worker_name

log = logging.getLogger("hadir.messages")


# Work other domains do at every pass, before the messages go out, by name (app/waitlist registers the
# offers of freed seats). Each task commits its own work.
PASS_TASKS: dict[str, Callable[[], object]] = {}


def tick(worker=None):
    """One pass: due scheduled reminders become messages, the other domains' tasks run, then every due
    message is sent."""
    from app.messages.reminders import materialise_due_reminders

    materialise_due_reminders()
    for task in PASS_TASKS.values():
        task()
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
            from app.extensions import db

            db.session.rollback()
        if once or (stop and stop()):
            return total
        time.sleep(current_app.config["MESSAGES_POLL_SECONDS"])
