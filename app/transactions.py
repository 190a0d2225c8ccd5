"""One transaction per request, as Indico's request handler does it: views change state through services
and the request commits once, at its end.

- An answer below 400 commits the session. A commit that fails is raised again (after a rollback), so
  the request answers with the error page (500), never with the success the view had prepared.
- An answer of 400 or more rolls back: a refused request stores nothing half-way (a form answered 422
  keeps nothing of what its view had begun). A view that must keep something while refusing (the scan
  log of a refused ticket, a failed login) commits that itself, early, and says why.
- An exception rolls back too (app/errors.py, then this hook on the error page's answer).

A view commits early only where the work goes on after it answers or outside the request: a streamed
answer, a message that must be in the outbox before it is sent, a scan whose answer must be durable
before the desk is told. CLI commands and RQ jobs have no request: they commit themselves.
"""
from app.extensions import db


def end_the_transaction(response):
    """after_request: commit what the request did (status < 400), else roll it back."""
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return response


def init_transactions(app):
    """Called after init_monitoring: Flask runs the app's after_request hooks in reverse, so the commit
    runs before the request's timing is taken (app/monitoring), which then includes it."""
    app.after_request(end_the_transaction)
