"""The waiting list's public pages: joining it for a full OPD, and taking a seat offered (`/tunggu/<token>`)."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from app.events.lookup import find_event
from app.events.opd_search import opd_options
from app.extensions import db, limiter
from app.messages.services import queue_confirmation
from app.models import Event, utcnow
from app.models.waitlist import WaitStatus
from app.registration.forms import MESSAGES, RANKS, RegistrationForm
from app.registration.services import RegistrationRefused
from app.security_headers import PRIVATE, cache_policy
from app.waitlist import services

bp = Blueprint("waitlist", __name__)
cache_policy(bp, PRIVATE)

REFUSALS = {
    "waiting_nip": _l("NIP ini sudah ada di daftar tunggu acara ini."),
    "waiting_email": _l("E-mail ini sudah ada di daftar tunggu acara ini."),
    "offer_expired": _l("Waktu untuk mengambil kursi ini sudah habis; kursinya ditawarkan kepada orang berikutnya."),
    "offer_taken": _l("Kursi ini sudah Anda ambil."),
}


def _message(code):
    return REFUSALS.get(code) or MESSAGES.get(code) or code


@bp.route("/e/<slug>/daftar-tunggu", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def join(slug):
    event = find_event(slug) or abort(404)
    options = opd_options(event)
    form = RegistrationForm(foreign_phones_allowed=event.foreign_phones_allowed)
    form.organization.choices = sorted(((o.id, o.name) for o in options.values() if o.full), key=lambda c: c[1])
    state = event.registration_state(utcnow())
    entry = None
    if state != "open":
        form.form_errors.append(MESSAGES[state])
    elif form.validate_on_submit():
        try:
            entry = services.join(event, form.organization.data, form.participant())
        except RegistrationRefused as refusal:
            field = getattr(form, refusal.field) if refusal.field else None
            (field.errors if field else form.form_errors).append(_message(refusal.code))
        else:
            return render_template("waitlist/joined.html", event=event, entry=entry,
                                   position=services.position_in_line(entry),
                                   organization=options[entry.organization_id].name)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("waitlist/join.html", event=event, form=form, ranks=RANKS, state=state), status


@bp.route("/tunggu/<token>", methods=["GET", "POST"])
def offer(token):
    """A seat offered to the first who waited: shown with the time it is kept until, taken with one button."""
    entry = services.find_offer(token) or abort(404)
    event = db.session.get(Event, entry.event_id)
    problem = None
    if request.method == "POST":
        try:
            registration = services.take(entry)
        except RegistrationRefused as refusal:
            problem = _message(refusal.code)
        else:
            queue_confirmation(registration)
            return redirect(url_for("registration.ticket", token=registration.ticket_token, baru=1), code=303)
    return render_template("waitlist/offer.html", event=event, entry=entry, problem=problem,
                           expired=entry.status != WaitStatus.OFFERED or entry.hold_until <= utcnow()), \
        422 if problem else 200


@bp.after_request
def keep_offers_private(response):
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
