"""Participants' pages: "Lupa tiket?" and the edit link."""
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import ask_first, confirmed
from app.events.calendar import event_ics
from app.events.lookup import find_event
from app.extensions import db, limiter
from app.messages import selfservice
from app.messages.compose import wa_me
from app.messages.forms import ForgotTicketForm
from app.messages.services import forgot_ticket
from app.rate_limits import per_identifier
from app.registration.forms import MESSAGES as REGISTRATION_MESSAGES
from app.registration.forms import RANKS, ParticipantForm, RegistrationForm
from app.registration.services import RegistrationRefused, event_organizations
from app.security_headers import PRIVATE, cache_policy
from app.tickets.lookup import find_ticket

bp = Blueprint("messages", __name__)


@bp.route("/e/<slug>/lupa-tiket", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_FORGOT_TICKET"], methods=["POST"], key_func=per_identifier)
@limiter.limit(lambda: current_app.config["RATELIMIT_FORGOT_TICKET_ADDRESS"], methods=["POST"])
def forgot(slug):
    """The same answer whether or not the person is registered; the link goes only to their e-mail."""
    event = find_event(slug) or abort(404)
    form = ForgotTicketForm()
    if form.validate_on_submit():
        forgot_ticket(event, form.identifier.data, base_url=request.url_root.rstrip("/"))
        return redirect(url_for("messages.forgot", slug=slug, terkirim=1), code=303)
    status = 422 if form.errors else 200
    return render_template("messages/forgot.html", event=event, form=form,
                           done=bool(request.args.get("terkirim"))), status


@bp.route("/e/<slug>/kalender.ics")
def event_calendar(slug):
    """ "Tambah ke kalender": every event day as a calendar entry."""
    event = find_event(slug) or abort(404)
    text = event_ics(event, url_for("public.event_page", slug=slug, _external=True),
                     day_label=lambda n: _("Hari %(n)s", n=n))
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{event.slug}.ics"'})


@bp.route("/tiket/<token>/whatsapp")
def ticket_to_own_whatsapp(token):
    """ "Kirim ke nomor saya sendiri": WhatsApp opens a chat with the participant's own number, the ticket
    link filled in. A redirect, so that the ticket page itself never shows the number."""
    registration = find_ticket(token)
    if registration is None or not registration.is_active:
        abort(404)
    link = url_for("registration.ticket", token=token, _external=True)
    text = _("Tiket %(event)s atas nama %(name)s: %(link)s", event=registration.event.title,
             name=registration.full_name, link=link)
    response = redirect(wa_me(registration.phone, text))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response  # kept out of caches by keep_secrets_private, as every page with a token


@bp.route("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder or "static", "favicon.png", mimetype="image/png",
                               max_age=86400)


@bp.after_request
def keep_secrets_private(response):
    # The edit link and the ticket link are secrets: out of Referer headers and shared caches.
    if request.view_args and "token" in request.view_args:
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        cache_policy(response, PRIVATE)
    return response


MESSAGES = {
    "locked": _l("Perubahan data sudah ditutup. Hubungi panitia."),
    "checked_in": _l("Anda sudah tercatat hadir: data tidak dapat diubah atau diserahkan lagi lewat tautan ini. "
                     "Hubungi panitia."),
    "cancelled": _l("Pendaftaran ini sudah dibatalkan."),
    "transferred": _l("Tiket ini sudah dialihkan ke rekan dari OPD yang sama."),
}


def _registration_or_404(token):
    return selfservice.find_by_edit_token(token) or abort(404)


def _refused(form, refusal):
    if isinstance(refusal, selfservice.SelfServiceRefused):
        form.form_errors.append(MESSAGES[refusal.code])
        return
    field = getattr(form, refusal.field, None) if refusal.field else None
    (field.errors if field is not None else form.form_errors).append(REGISTRATION_MESSAGES[refusal.code])


def _edit_page(registration, form, status=200):
    event = registration.event
    return render_template(
        "messages/edit.html", registration=registration, event=event, form=form, ranks=RANKS,
        lock=selfservice.lock_reason(registration), closes_at=selfservice.edits_close_at(event), lock_texts=MESSAGES,
    ), status


@bp.route("/ubah/<token>", methods=["GET", "POST"])
def edit_registration(token):
    registration = _registration_or_404(token)
    event = registration.event
    form = ParticipantForm(obj=registration if request.method == "GET" else None,
                           foreign_phones_allowed=event.foreign_phones_allowed)
    form.organization.choices = [(o.id, o.name) for _eo, o in event_organizations(event)]
    if request.method == "GET":
        form.organization.data = registration.organization_id
    elif form.validate_on_submit():
        try:
            changed = selfservice.edit(registration, form.organization.data, form.participant())
        except (selfservice.SelfServiceRefused, RegistrationRefused) as refusal:
            _refused(form, refusal)
        else:
            if changed:
                flash(_("Data Anda disimpan."), "success")
            return redirect(url_for("messages.edit_registration", token=token), code=303)
    return _edit_page(registration, form, 422 if form.errors or form.form_errors else 200)


@bp.route("/ubah/<token>/batal", methods=["POST"])
def cancel_registration(token):
    registration = _registration_or_404(token)
    if selfservice.edits_open(registration) and not confirmed():
        event = registration.event
        return ask_first(
            title=_("Batalkan pendaftaran Anda di %(event)s?", event=event.title),
            losses=[_("Tiket Anda (kode QR) tidak berlaku lagi."),
                    _("Tempat Anda di kuota %(opd)s dilepas untuk rekan lain.", opd=registration.organization.name),
                    _("Pembatalan tidak dapat Anda urungkan sendiri; untuk ikut lagi, hubungi panitia.")],
            confirm_label=_("Ya, batalkan pendaftaran saya"),
            back_url=url_for("messages.edit_registration", token=token), layout="base.html")
    try:
        selfservice.cancel(registration)
    except selfservice.SelfServiceRefused as refusal:
        db.session.rollback()  # a redirect commits: nothing the refused service began is kept
        flash(MESSAGES[refusal.code], "danger")
        return redirect(url_for("messages.edit_registration", token=token), code=303)
    flash(_("Pendaftaran Anda dibatalkan. Tempatnya kembali ke kuota OPD Anda."), "success")
    return redirect(url_for("messages.edit_registration", token=token), code=303)


@bp.route("/ubah/<token>/ganti", methods=["GET", "POST"])
def replace_participant(token):
    """ "Ganti peserta": a colleague of the same OPD fills the form in this seat."""
    registration = _registration_or_404(token)
    event = registration.event
    form = RegistrationForm(foreign_phones_allowed=event.foreign_phones_allowed)
    form.organization.choices = [(registration.organization_id, registration.organization.name)]
    form.organization.data = registration.organization_id
    if form.validate_on_submit():
        try:
            colleague = selfservice.replace(registration, form.participant())
        except (selfservice.SelfServiceRefused, RegistrationRefused) as refusal:
            _refused(form, refusal)
        else:
            name = colleague.full_name
            # This device gets a confirmation, never the colleague's ticket: it reaches them by their own
            # e-mail, or by WhatsApp from the committee.
            flash(_("Kursi Anda sudah diserahkan kepada %(name)s. Tiketnya dikirim ke e-mail %(name)s sendiri "
                    "(atau oleh panitia lewat WhatsApp), bukan ke perangkat ini.", name=name), "success")
            return redirect(url_for("messages.edit_registration", token=token), code=303)
    status = 422 if form.errors or form.form_errors else 200
    lock = selfservice.lock_reason(registration)
    return render_template("messages/replace.html", registration=registration, event=event, form=form, ranks=RANKS,
                           open=lock is None, lock_text=MESSAGES[lock] if lock else None), status
