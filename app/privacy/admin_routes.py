"""The committee's side: deletion requests of an event, and the tenant admins' access log."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import PersonalDataAccess
from app.privacy.services import (
    ResolutionRefused,
    access_log,
    find_event_deletion_request,
    pending_deletion_requests,
    resolve_deletion,
    scrub_storage,
)
from app.security_headers import PRIVATE, cache_policy
from app.tenants.access import MANAGE, admin_only, console, event_or_404, tenant_filter

# Named admin*: sign-in, the console role and the event's scope are checked before every route.
bp = Blueprint("admin_privacy", __name__, url_prefix="/admin")


cache_policy(bp, PRIVATE)


@bp.route("/acara/<slug>/permintaan-hapus")
@console(MANAGE)
def deletion_requests(slug):
    event = event_or_404(slug)
    return render_template("privacy/admin_requests.html", event=event, requests=pending_deletion_requests(event))


@bp.route("/acara/<slug>/permintaan-hapus/<int:request_id>", methods=["POST"])
@console(MANAGE)
def resolve(slug, request_id):
    event = event_or_404(slug)
    found = find_event_deletion_request(event, request_id) or abort(404)
    action = request.form.get("action")
    if action not in ("delete", "refuse"):
        abort(400)
    try:
        resolve_deletion(found, current_user, delete=action == "delete",
                         refusal_reason=request.form.get("refusal_reason", ""))
    except ResolutionRefused:
        db.session.rollback()  # a redirect commits: nothing the refused service began is kept
        flash(_("Tulis alasan penolakan: peserta akan membacanya."), "danger")
    else:
        db.session.commit()  # early: scrub_storage rewrites the pages the committed deletion freed
        if action == "delete":
            scrub_storage()  # the old values' row versions, too
        flash(_("Data pribadi peserta dihapus.") if action == "delete" else _("Permintaan ditolak."), "success")
    return redirect(url_for("admin_privacy.deletion_requests", slug=slug), code=303)


@bp.route("/akses-data")
@admin_only
def access_log_page():
    """Who looked at personal data: for the tenant's admins (and the install administrator)."""
    rows = access_log(tenant_filter(current_user, PersonalDataAccess.tenant_id))
    return render_template("privacy/access_log.html", rows=rows)
