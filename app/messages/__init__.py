"""Messages to participants: the outbox, the worker, the Pesan page, "Lupa tiket?", the edit link.

init_messages(app) binds Flask-Mailman, gives the templates their helpers and answers a registration
through the event's form (registration.services.registered) with the confirmation e-mail; an RQ worker
is woken after each commit that wrote a message (when JOB_QUEUE_URL is set).
"""
import re

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.events.opd_search import opd_options
from app.messages.channels import mail
from app.messages.compose import wa_me
from app.messages.forms import contact_form_for
from app.messages.jobs import kick
from app.messages.outbox import KICK
from app.messages.selfservice import changes_of
from app.messages.services import mail_trouble, queue_confirmation
from app.registration.services import registered


def init_messages(app):
    mail.init_app(app)

    app.jinja_env.globals.update(wa_me=wa_me, registration_changes=changes_of, contact_form_for=contact_form_for,
                                 opd_options=opd_options, mail_trouble=mail_trouble)
    app.jinja_env.filters["paragraphs"] = paragraphs
    registered.connect(_confirm, sender=app)


def _confirm(_app, *, registration):
    queue_confirmation(registration)


def paragraphs(text):
    """Text split into its paragraphs (an empty line between them)."""
    return [part.strip() for part in re.split(r"\r?\n\s*\r?\n", text or "") if part.strip()]


@sa_event.listens_for(Session, "after_commit")
def _wake_worker(session):
    if session.info.pop(KICK, False):

        kick()


@sa_event.listens_for(Session, "after_rollback")
def _nothing_to_wake(session):
    session.info.pop(KICK, None)
