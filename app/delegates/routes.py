"""The OPD's page, reached by its link alone (`/opd/<token>`): name, correct, swap and take off its people.

No account: the link is the secret, sent in the invitation letter to the OPD's secretariat. A revoked
or unknown link is a 404 like any other.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import ask_first, confirmed
from app.delegates import services
from app.delegates.forms import DelegateForm, PasteForm
from app.extensions import db
from app.messages.compose import wa_me
from app.messages.services import queue_confirmation
from app.models import Event
from app.registration.forms import MESSAGES, RANKS
from app.registration.services import RegistrationRefused
from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("delegates", __name__)
cache_policy(bp, PRIVATE)  # the page lists people's contact data, and its address is a secret

REFUSALS = {
    "closed": _l("Batas waktu pengiriman peserta untuk OPD ini sudah lewat. Hubungi panitia."),
    "not_ours": _l("Peserta ini tidak dikirim lewat tautan OPD ini, jadi tidak dapat diubah di sini."),
    "too_many_rows": _l("Terlalu banyak baris sekaligus (paling banyak %(n)s).", n=services.MAX_PASTED_ROWS),
    "empty": _l("Tempelkan minimal satu baris."),
}
FIELD_NAMES = {
    "full_name": _l("Nama"), "nip": _l("NIP"), "position": _l("Jabatan"), "rank": _l("Pangkat/golongan"),
    "phone": _l("Nomor HP"), "email": _l("E-mail"), "organization": _l("OPD"),
}


def _message(code):
    return REFUSALS.get(code) or MESSAGES.get(code) or code


def _link_or_404(token):
    link = services.find_link(token)
    if link is None:
        abort(404)
    return link, db.session.get(Event, link.event_id)


def _form(event, registration=None):
    return DelegateForm(obj=registration, foreign_phones_allowed=event.foreign_phones_allowed)


def _show(link, event, form, paste_form, status=200):
    people = services.delegates(link)
    quota = services.quota_of(link, event)
    return render_template(
        "delegates/opd.html", link=link, event=event, people=people, quota=quota, form=form,
        paste_form=paste_form, ranks=RANKS, open=services.is_open(link, event),
        closes_at=services.closes_at(link, event), full=quota is not None and len(people) >= quota,
    ), status


def _refused(form, refusal):
    field = getattr(form, refusal.field, None) if getattr(refusal, "field", None) else None
    (field.errors if field is not None else form.form_errors).append(_message(refusal.code))


@bp.route("/opd/<token>", methods=["GET", "POST"])
def page(token):
    link, event = _link_or_404(token)
    form, paste_form = _form(event), PasteForm(prefix="paste")
    if request.method == "GET":
        services.mark_opened(link)
    elif form.validate_on_submit():
        try:
            registration = services.add_delegate(link, event, form.participant())
        except (RegistrationRefused, services.DelegateRefused) as refusal:
            _refused(form, refusal)
        else:
            _send_ticket(registration)
            flash(_("%(name)s terdaftar. Tiketnya dikirim ke e-mail; kirim juga lewat WhatsApp dari daftar di bawah.",
                    name=registration.full_name), "success")
            return redirect(url_for("delegates.page", token=token), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return _show(link, event, form, paste_form, status)


@bp.route("/opd/<token>/tempel", methods=["POST"])
def paste(token):
    link, event = _link_or_404(token)
    form, paste_form = _form(event), PasteForm(prefix="paste")
    if paste_form.validate_on_submit():
        try:
            stored, errors = services.add_pasted(link, event, paste_form.rows.data or "")
        except services.DelegateRefused as refusal:
            stored, errors = [], [(None, None, refusal.code)]
        if not errors:
            for registration in stored:
                _send_ticket(registration)
            flash(_("%(n)s orang terdaftar dari daftar yang ditempel.", n=len(stored)), "success")
            return redirect(url_for("delegates.page", token=token), code=303)
        for line, field, code in errors:
            where = _("Baris %(line)s", line=line) if line else _("Daftar")
            what = f" ({FIELD_NAMES.get(field, field)})" if field else ""
            paste_form.form_errors.append(f"{where}{what}: {_message(code)}")
    return _show(link, event, form, paste_form, 422)


def _delegate_or_404(link, registration_id):
    for registration, ours in services.delegates(link):
        if registration.id == registration_id and ours:
            return registration
    abort(404)


@bp.route("/opd/<token>/<int:registration_id>/ubah", methods=["GET", "POST"], defaults={"action": "ubah"})
@bp.route("/opd/<token>/<int:registration_id>/ganti", methods=["GET", "POST"], defaults={"action": "ganti"})
def change(token, registration_id, action):
    link, event = _link_or_404(token)
    registration = _delegate_or_404(link, registration_id)
    form = _form(event, registration if action == "ubah" else None)
    if form.validate_on_submit():
        try:
            if action == "ubah":
                services.edit_delegate(link, event, registration_id, form.participant())
                message = _("Data %(name)s disimpan.", name=form.full_name.data)
            else:
                newcomer = services.swap_delegate(link, event, registration_id, form.participant())
                _send_ticket(newcomer)
                message = _("%(old)s diganti %(new)s. Tiket lama tidak berlaku lagi; tiket baru dikirim.",
                            old=registration.full_name, new=newcomer.full_name)
        except (RegistrationRefused, services.DelegateRefused) as refusal:
            _refused(form, refusal)
        else:
            flash(message, "success")
            return redirect(url_for("delegates.page", token=token), code=303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("delegates/change.html", link=link, event=event, registration=registration, form=form,
                           action=action, ranks=RANKS, open=services.is_open(link, event)), status


@bp.route("/opd/<token>/<int:registration_id>/batal", methods=["POST"])
def cancel(token, registration_id):
    link, event = _link_or_404(token)
    registration = _delegate_or_404(link, registration_id)
    if not confirmed():
        return ask_first(
            title=_("Batalkan %(name)s?", name=registration.full_name),
            losses=[_("Tiket %(name)s tidak berlaku lagi dan kursinya kembali ke kuota OPD.",
                      name=registration.full_name)],
            confirm_label=_("Ya, batalkan"), back_url=url_for("delegates.page", token=token), layout="base.html",
        )
    try:
        services.cancel_delegate(link, event, registration_id)
    except services.DelegateRefused as refusal:
        db.session.rollback()  # a redirect commits: nothing the refused service began is kept
        flash(_message(refusal.code), "error")
    else:
        flash(_("%(name)s dibatalkan.", name=registration.full_name), "success")
    return redirect(url_for("delegates.page", token=token), code=303)


@bp.route("/opd/<token>/<int:registration_id>/whatsapp")
def whatsapp(token, registration_id):
    """The delegate's ticket link, to the delegate's own number, built now from the registration as it is.
    Sent from the OPD contact's phone, so it carries the ticket only, never the edit link."""
    link, event = _link_or_404(token)
    registration = _delegate_or_404(link, registration_id)
    ticket = url_for("registration.ticket", token=registration.ticket_token, _external=True)
    text = _("Tiket %(event)s atas nama %(name)s: %(link)s", event=event.title, name=registration.full_name,
             link=ticket)
    response = redirect(wa_me(registration.phone, text))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _send_ticket(registration):
    """The confirmation to the delegate's own e-mail (ticket and edit link), through the outbox."""
    if registration.email:
        queue_confirmation(registration)


@bp.after_request
def keep_link_private(response):
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response

