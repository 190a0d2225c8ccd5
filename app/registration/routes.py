import io

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.events.lookup import find_event
from app.extensions import limiter
from app.formatting import date_span
from app.materials.services import material_groups
from app.models import STATUS_REGISTERED, utcnow
from app.registration.forms import MESSAGES, RANKS, RegistrationForm
from app.registration.services import (
    RegistrationRefused,
    event_organizations,
    register_participant,
    registered,
)
from app.security_headers import PRIVATE, cache_policy
from app.tickets.images import write_qr_png, write_qr_svg, write_ticket_card_png
from app.tickets.lookup import find_ticket

bp = Blueprint("registration", __name__)
cache_policy(bp, PRIVATE)  # tickets: the QR image or ticket card is the ticket itself


@bp.route("/e/<slug>/daftar", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"], methods=["POST"])
def register(slug):
    event = find_event(slug) or abort(404)
    form = RegistrationForm(foreign_phones_allowed=event.foreign_phones_allowed)
    form.organization.choices = [
        (organization.id, organization.name) for _eo, organization in event_organizations(event)
    ]
    state = event.registration_state(utcnow())
    notice = None
    if state != "open":
        # Opening a closed form is no mistake of the visitor's: a notice, not an error; a POST is refused.
        if request.method == "POST":
            form.form_errors.append(MESSAGES[state])
        else:
            notice = MESSAGES[state]
    elif form.validate_on_submit():
        try:
            registration = register_participant(event, form.organization.data, form.participant())
        except RegistrationRefused as refusal:
            field = getattr(form, refusal.field) if refusal.field else None
            (field.errors if field else form.form_errors).append(MESSAGES[refusal.code])
        else:
            token = registration.ticket_token
            # The app itself as the sender, as Flask's docs on signals do (mypy sees current_app as a Flask).
            registered.send(current_app._get_current_object(), registration=registration)  # type: ignore[attr-defined]
            return redirect(url_for("registration.ticket", token=token, baru=1), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("registration/register.html", event=event, form=form, state=state, ranks=RANKS,
                           notice=notice), status


def _ticket_or_404(token):
    return find_ticket(token) or abort(404)


def _active_ticket_or_404(token):
    """The QR and the ticket card exist only for an active registration."""
    registration = _ticket_or_404(token)
    if registration.status != STATUS_REGISTERED:
        abort(404)
    return registration


@bp.route("/tiket/<token>")
def ticket(token):
    registration = _ticket_or_404(token)
    if registration.is_transferred:
        # Neither the previous holder's data nor the colleague's: only that the seat changed hands.
        return render_template("registration/transferred.html", event=registration.event), 410
    link = url_for("registration.ticket", token=token, _external=True)
    return render_template(
        "registration/ticket.html",
        registration=registration,
        event=registration.event,
        ticket_link=link,
        # To the participant's own number ("kirim ke nomor saya sendiri"), never a contact picker.
        whatsapp_link=url_for("messages.ticket_to_own_whatsapp", token=token),
        # The participant sees on which days the desk has them in, and when.
        present={attendance.event_day_id: attendance for attendance in registration.attendances},
        # A cancelled registration keeps the public materials only.
        material_groups=material_groups(registration.event, public_only=registration.status != STATUS_REGISTERED),
    )


def _image_response(writer, mimetype, download_name=None):
    stream = io.BytesIO()
    writer(stream)
    stream.seek(0)
    return send_file(stream, mimetype=mimetype, download_name=download_name,
                     as_attachment=download_name is not None, max_age=0)


@bp.route("/tiket/<token>/qr.png")
def ticket_qr_png(token):
    registration = _active_ticket_or_404(token)
    return _image_response(lambda s: write_qr_png(registration.ticket_token, s), "image/png")


@bp.route("/tiket/<token>/qr.svg")
def ticket_qr_svg(token):
    registration = _active_ticket_or_404(token)
    return _image_response(lambda s: write_qr_svg(registration.ticket_token, s), "image/svg+xml")


@bp.route("/tiket/<token>/tiket.png")
def ticket_card_png(token):
    registration = _active_ticket_or_404(token)
    event = registration.event

    def write(stream):
        write_ticket_card_png(
            stream,
            token=registration.ticket_token,
            full_name=registration.full_name,
            organization=registration.organization.name,
            event_title=event.title,
            when=date_span(event.days),
            venue=event.venue,
            label=_("TIKET PESERTA"),
        )

    return _image_response(write, "image/png", download_name=f"tiket-{event.slug}.png")


@bp.after_request
def keep_tickets_private(response):
    # A ticket URL is a secret: keep it out of Referer headers (and, by the blueprint's
    # cache policy, out of caches: a QR image or ticket card is the ticket itself).
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
