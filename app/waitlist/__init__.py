"""The waiting list per OPD (issue 24): init_waitlist(app) makes the message worker offer freed seats."""
from flask import current_app

from app.messages.compose import FALLBACK_BASE_URL
from app.messages.worker import PASS_TASKS
from app.waitlist.services import offer_everywhere


def offer_freed_seats():
    return offer_everywhere(current_app.config.get("PUBLIC_BASE_URL") or FALLBACK_BASE_URL)


def init_waitlist(app):
    PASS_TASKS["waitlist"] = offer_freed_seats
