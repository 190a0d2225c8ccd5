"""What a participant reaches: the tenant's privacy notice, and on their ticket link "Data saya"
(everything held about them, also as JSON) and "Minta hapus" (a request to delete it)."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models.privacy import REQUEST_PENDING
from app.privacy.services import (
    event_retention_end,
    events_with_own_retention,
    find_deletion_request,
    personal_data_json,
    personal_data_of,
    request_deletion,
)
from app.registration.services import find_ticket
from app.security_headers import PRIVATE, cache_policy
from app.tenants.services import find_tenant

bp = Blueprint("privacy", __name__)

MAX_REASON = 2000


# Reached by the ticket's secret: out of every cache, and of Referer headers.
cache_policy(bp, PRIVATE)


@bp.after_request
def no_referrer(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/privasi/<tenant_slug>")
def notice(tenant_slug):
    tenant = find_tenant(tenant_slug) or abort(404)
    return render_template("privacy/notice.html", tenant=tenant, own_periods=events_with_own_retention(tenant))


def _ticket_or_404(token):
    return find_ticket(token) or abort(404)


@bp.route("/tiket/<token>/data-saya")
def my_data(token):
    registration = _ticket_or_404(token)
    return render_template("privacy/my_data.html", registration=registration, event=registration.event,
                           data=personal_data_of(registration), retention_end=event_retention_end(registration.event))


@bp.route("/tiket/<token>/data-saya.json")
def my_data_json(token):
    registration = _ticket_or_404(token)
    return Response(personal_data_json(registration), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="data-saya-{registration.event.slug}.json"'})


@bp.route("/tiket/<token>/minta-hapus", methods=["GET", "POST"])
def request_erasure(token):
    registration = _ticket_or_404(token)
    existing = find_deletion_request(registration)
    if request.method == "POST":
        reason = request.form.get("reason", "")
        if len(reason) > MAX_REASON:
            flash(_("Alasan terlalu panjang (paling banyak 2000 karakter)."), "danger")
            return render_template("privacy/request.html", registration=registration, event=registration.event,
                                   existing=existing, reason=reason), 422
        request_deletion(registration, reason)
        db.session.commit()
        flash(_("Permintaan hapus data terkirim. Panitia akan menanggapinya; lihat statusnya di halaman ini."),
              "success")
        return redirect(url_for("privacy.my_data", token=token), code=303)
    return render_template("privacy/request.html", registration=registration, event=registration.event,
                           existing=existing, reason="", pending=REQUEST_PENDING)
