"""What a participant reaches: the tenant's privacy notice, and through their edit link (the secret
sent only to them, never the ticket's) "Data saya" (everything held about them, also as JSON) and
"Minta hapus" (a request to delete it). The ticket token, which every desk scans and every badge
prints, opens none of these."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import limiter
from app.messages.compose import edit_url, wa_me
from app.messages.selfservice import find_by_edit_token
from app.messages.services import queue_edit_link_email
from app.models.privacy import REQUEST_PENDING
from app.privacy.services import (
    event_retention_end,
    events_with_own_retention,
    find_deletion_request,
    personal_data_json,
    personal_data_of,
    request_deletion,
)
from app.rate_limits import per_ticket
from app.security_headers import PRIVATE, cache_policy
from app.tenants.services import find_tenant
from app.tickets.lookup import find_ticket
from app.values import InvalidValue, clean_phone

bp = Blueprint("privacy", __name__)

MAX_REASON = 2000


# Reached by the participant's edit secret: out of every cache, and of Referer headers.
cache_policy(bp, PRIVATE)


@bp.after_request
def no_referrer(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/privasi/<tenant_slug>")
def notice(tenant_slug):
    tenant = find_tenant(tenant_slug) or abort(404)
    return render_template("privacy/notice.html", tenant=tenant, own_periods=events_with_own_retention(tenant))


def _own_registration_or_404(token):
    return find_by_edit_token(token) or abort(404)


def _active_ticket_or_404(token):
    registration = find_ticket(token)
    if registration is None or not registration.is_active:
        abort(404)
    return registration


@bp.route("/tiket/<token>/kunci/email", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_FORGOT_TICKET"], key_func=per_ticket)
def send_edit_link(token):
    """The edit link, by e-mail to the participant's own address: whoever holds the ticket may ask,
    only the participant receives it (at most one such e-mail per 15 minutes)."""
    registration = _active_ticket_or_404(token)
    queue_edit_link_email(registration)
    flash(_("Tautan ubah data dikirim ke e-mail yang Anda daftarkan."), "success")
    return redirect(url_for("registration.ticket", token=token, _anchor="data-pribadi"), code=303)


@bp.route("/tiket/<token>/kunci/whatsapp", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_FORGOT_TICKET"], key_func=per_ticket)
def edit_link_to_own_whatsapp(token):
    """ "Kirim ke WhatsApp saya sendiri": WhatsApp opens a chat with the participant's own number, the
    edit link filled in. Only for whoever types that number: the ticket alone (a desk, a badge, a
    forwarded link) does not give the edit link away."""
    registration = _active_ticket_or_404(token)
    try:
        typed = clean_phone(request.form.get("phone", "")[:30], foreign_allowed=True)
    except InvalidValue:
        typed = None
    if not typed or typed != registration.phone:
        flash(_("Nomor itu bukan nomor WhatsApp yang didaftarkan untuk tiket ini."), "danger")
        return redirect(url_for("registration.ticket", token=token, _anchor="data-pribadi"), code=303)
    text = _("Tautan ubah data %(event)s atas nama %(name)s (rahasia, jangan diteruskan): %(link)s",
             event=registration.event.title, name=registration.full_name, link=edit_url(registration))
    return redirect(wa_me(registration.phone, text), code=303)


@bp.route("/ubah/<token>/data-saya")
def my_data(token):
    registration = _own_registration_or_404(token)
    return render_template("privacy/my_data.html", registration=registration, event=registration.event,
                           data=personal_data_of(registration), retention_end=event_retention_end(registration.event))


@bp.route("/ubah/<token>/data-saya.json")
def my_data_json(token):
    registration = _own_registration_or_404(token)
    return Response(personal_data_json(registration), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="data-saya-{registration.event.slug}.json"'})


@bp.route("/ubah/<token>/minta-hapus", methods=["GET", "POST"])
def request_erasure(token):
    registration = _own_registration_or_404(token)
    existing = find_deletion_request(registration)
    if request.method == "POST":
        reason = request.form.get("reason", "")
        if len(reason) > MAX_REASON:
            flash(_("Alasan terlalu panjang (paling banyak 2000 karakter)."), "danger")
            return render_template("privacy/request.html", registration=registration, event=registration.event,
                                   existing=existing, reason=reason), 422
        request_deletion(registration, reason)
        flash(_("Permintaan hapus data terkirim. Panitia akan menanggapinya; lihat statusnya di halaman ini."),
              "success")
        return redirect(url_for("privacy.my_data", token=token), code=303)
    return render_template("privacy/request.html", registration=registration, event=registration.event,
                           existing=existing, reason="", pending=REQUEST_PENDING)
