"""The committee's "Tautan OPD" page: each OPD's link (made, re-issued, revoked), whether it was opened,
how many of the quota the OPD has sent, its last change, and the deadline for all."""
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import require_admin
from app.admin.event_setup import local_to_utc
from app.admin.routes import event_or_404
from app.confirm import ask_first, confirmed
from app.delegates import services
from app.extensions import db
from app.models import Organization
from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("admin_delegates", __name__, url_prefix="/admin")
cache_policy(bp, PRIVATE)
bp.before_request(require_admin)


@bp.route("/acara/<slug>/opd/tautan")
def links(slug):
    event = event_or_404(slug)
    rows = services.opd_overview(event)
    deadline = next((link.deadline for *_rest, link in rows if link is not None and link.deadline), None)
    return render_template("delegates/console.html", event=event, rows=rows, deadline=deadline,
                           not_sent=sum(1 for _o, _q, count, _l in rows if count == 0))


@bp.route("/acara/<slug>/opd/tautan/buat", methods=["POST"])
def issue_all(slug):
    event = event_or_404(slug)
    made = services.issue_links(event)
    db.session.commit()
    flash(_("%(n)s tautan OPD dibuat.", n=made) if made else _("Semua OPD sudah punya tautan."), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/<int:organization_id>/tautan", methods=["POST"])
def reissue(slug, organization_id):
    event = event_or_404(slug)
    link = services.links_of(event).get(organization_id)
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        abort(404)
    if link is not None and link.token is not None and not confirmed():
        return ask_first(
            title=_("Buat ulang tautan %(opd)s?", opd=organization.name),
            losses=[_("Tautan yang sudah dikirim ke OPD ini tidak berlaku lagi.")],
            confirm_label=_("Ya, buat ulang"), back_url=url_for("admin_delegates.links", slug=slug),
        )
    if services.issue_link(event, organization_id) is None:
        flash(_("OPD ini tidak ikut acara ini."), "error")
    else:
        db.session.commit()
        flash(_("Tautan baru untuk %(opd)s dibuat.", opd=organization.name), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/<int:organization_id>/tautan/cabut", methods=["POST"])
def revoke(slug, organization_id):
    event = event_or_404(slug)
    link = services.links_of(event).get(organization_id)
    if link is not None and link.token is not None:
        if not confirmed():
            return ask_first(
                title=_("Cabut tautan %(opd)s?", opd=link.organization.name),
                losses=[_("OPD ini tidak dapat lagi menambah atau mengubah pesertanya lewat tautan itu. "
                          "Peserta yang sudah dikirim tetap terdaftar.")],
                confirm_label=_("Ya, cabut"), back_url=url_for("admin_delegates.links", slug=slug),
            )
        services.revoke_link(link)
        db.session.commit()
        flash(_("Tautan %(opd)s dicabut.", opd=link.organization.name), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/tautan/batas", methods=["POST"])
def deadline(slug):
    event = event_or_404(slug)
    typed = (request.form.get("deadline") or "").strip()
    if typed:
        try:
            moment = datetime.fromisoformat(typed)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is not None or not 1900 <= moment.year <= 2099:
            flash(_("Tulis batas waktu sebagai tanggal dan jam."), "error")
            return redirect(url_for("admin_delegates.links", slug=slug), code=303)
        services.set_deadline(event, local_to_utc(moment, event.timezone))
    else:
        services.set_deadline(event, None)
    db.session.commit()
    flash(_("Batas waktu disimpan."), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)

