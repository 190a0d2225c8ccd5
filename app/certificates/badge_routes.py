"""The console's badge page: filter, set a role, print the sheets."""
import io
from typing import Any

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.admin.routes import event_or_404
from app.certificates.admin_routes import bp
from app.certificates.badges import badges_for, mark_printed, set_role, write_badges_pdf
from app.extensions import db
from app.models import utcnow
from app.models.registration import REGISTRATION_ROLES
from app.privacy.services import record_access
from app.registration.services import event_organizations
from app.routing import parse_id


def _badge_filters():
    return {
        "organization_id": parse_id(request.values.get("opd")),
        "not_printed": request.values.get("belum") == "1",
    }


@bp.route("/acara/<slug>/lencana")
def badges(slug):
    event = event_or_404(slug)
    filters = _badge_filters()
    ids, found = badges_for(event, **filters)
    return render_template("certificates/badges.html", event=event, filters=filters,
                           people=list(zip(ids, found, strict=True)), roles=REGISTRATION_ROLES,
                           organizations=[o for _eo, o in event_organizations(event)])


@bp.route("/acara/<slug>/lencana.pdf", methods=["POST"])
def badges_pdf(slug):
    """The filtered badges as a PDF; those in it are marked printed."""
    event = event_or_404(slug)
    ids, found = badges_for(event, **_badge_filters())
    stream = io.BytesIO()
    write_badges_pdf(found, stream, event_title=event.title)
    mark_printed(ids, utcnow())
    record_access(current_user, event, "export", f"lencana-{event.slug}.pdf: {len(ids)}")
    db.session.commit()
    stream.seek(0)
    return send_file(stream, mimetype="application/pdf", as_attachment=True, max_age=0,
                     download_name=f"lencana-{event.slug}.pdf")


@bp.route("/acara/<slug>/lencana/peran/<int:registration_id>", methods=["POST"])
def badge_role(slug, registration_id):
    event = event_or_404(slug)
    role = request.form.get("role", "")
    if role not in REGISTRATION_ROLES:
        abort(400)
    if not set_role(event, registration_id, role):
        abort(404)
    db.session.commit()
    kept: dict[str, Any] = {name: request.args[name] for name in ("opd", "belum") if request.args.get(name)}
    return redirect(url_for("admin_certificates.badges", slug=slug, **kept), code=303)
