"""The console's badge page: filter, set a role, print the sheets, then mark them printed.

The page signs the set of registrations it lists; the PDF holds exactly that set and "Tandai sudah
dicetak" marks exactly that set, once the committee has the file (a failed download marks nothing)."""
import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from app.audit import record_access
from app.certificates.badges import badges_for, mark_printed, set_role, write_badges_pdf
from app.certificates.console import bp
from app.models import utcnow
from app.models.registration import REGISTRATION_ROLES
from app.registration.services import event_organizations
from app.routing import parse_id
from app.tenants.access import MANAGE, console, event_or_404


def _badge_filters():
    return {
        "organization_id": parse_id(request.values.get("opd")),
        "not_printed": request.values.get("belum") == "1",
    }


def _kept_filters():
    return {name: request.values[name] for name in ("opd", "belum") if request.values.get(name)}


def _signer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="badge-set")


def _sign_set(event, ids):
    return _signer().dumps([event.id, ids])


def _badge_set(event):
    """The registration ids the page signed, still active in `event`, with their badges; 400 if forged."""
    try:
        event_id, ids = _signer().loads(request.form.get("set", ""))
    except (BadSignature, ValueError, TypeError):
        abort(400)
    if event_id != event.id or not isinstance(ids, list):
        abort(400)
    return badges_for(event, registration_ids=[i for i in ids if isinstance(i, int)])


@bp.route("/acara/<slug>/lencana")
@console(MANAGE)
def badges(slug):
    event = event_or_404(slug)
    filters = _badge_filters()
    ids, found = badges_for(event, **filters)
    return render_template("certificates/badges.html", event=event, filters=filters,
                           people=list(zip(ids, found, strict=True)), roles=REGISTRATION_ROLES,
                           organizations=[o for _eo, o in event_organizations(event)],
                           badge_set=_sign_set(event, ids), kept=_kept_filters())


@bp.route("/acara/<slug>/lencana.pdf", methods=["POST"])
@console(MANAGE)
def badges_pdf(slug):
    """The page's set of badges as a PDF. Nothing is marked: the download may still fail."""
    event = event_or_404(slug)
    ids, found = _badge_set(event)
    stream = io.BytesIO()
    write_badges_pdf(found, stream, event_title=event.title)
    record_access(current_user, event, "export", f"lencana-{event.slug}.pdf: {len(ids)}")
    stream.seek(0)
    return send_file(stream, mimetype="application/pdf", as_attachment=True, max_age=0,
                     download_name=f"lencana-{event.slug}.pdf")


@bp.route("/acara/<slug>/lencana/dicetak", methods=["POST"])
@console(MANAGE)
def badges_printed(slug):
    """The committee has the PDF: mark exactly the badges of that download printed."""
    event = event_or_404(slug)
    ids, _found = _badge_set(event)
    mark_printed(ids, utcnow())
    flash(_("%(n)d lencana ditandai sudah dicetak.", n=len(ids)), "success")
    return redirect(url_for("admin_certificates.badges", slug=slug, **_kept_filters()), code=303)


@bp.route("/acara/<slug>/lencana/peran/<int:registration_id>", methods=["POST"])
@console(MANAGE)
def badge_role(slug, registration_id):
    event = event_or_404(slug)
    role = request.form.get("role", "")
    if role not in REGISTRATION_ROLES:
        abort(400)
    if not set_role(event, registration_id, role):
        abort(404)
    return redirect(url_for("admin_certificates.badges", slug=slug, **_kept_filters()), code=303)
