"""Public certificate pages: the verification page behind the QR, and the participant's download."""
import io

from flask import Blueprint, abort, current_app, render_template, send_file

from app.certificates import public_base_url
from app.certificates.documents import certificate_pdf, dates_id, file_name
from app.certificates.issuing import active_certificate, find_certificate_by_code
from app.extensions import limiter
from app.models.registration import mask_nip
from app.registration.services import find_ticket
from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("certificates", __name__)
cache_policy(bp, PRIVATE)  # the ticket's certificate and the verification page name a person


@bp.route("/verifikasi/<code>")
@limiter.limit(lambda: current_app.config["RATELIMIT_VERIFY"])
def verify(code):
    certificate = find_certificate_by_code(code)
    if certificate is None:  # a mistyped or forged code: say so in words a certificate's reader understands
        return render_template("certificates/unknown.html"), 404
    event = certificate.event
    return render_template("certificates/verify.html", certificate=certificate, event=event,
                           dates=dates_id(event.days), masked_nip=mask_nip(certificate.nip))


@bp.route("/tiket/<token>/sertifikat.pdf")
def ticket_certificate(token):
    registration = find_ticket(token) or abort(404)
    certificate = active_certificate(registration) or abort(404)
    data = certificate_pdf(certificate, public_base_url())
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=file_name(certificate), max_age=0)


@bp.after_request
def keep_private(response):
    # Ticket URLs and verification codes are secrets: no Referer (no shared cache: cache_policy above).
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
