"""The committee's "Tautan OPD" page: each OPD's link (made, re-issued, revoked), whether it was opened,
how many of the quota the OPD has sent, its last change, and the deadline for all."""
import io
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.confirm import ask_first, confirmed
from app.delegates import letters, services
from app.delegates.forms import ContactForm, LetterForm
from app.extensions import db
from app.messages.compose import wa_me
from app.models import Organization
from app.routing import parse_number
from app.security_headers import PRIVATE, cache_policy
from app.tenants.access import MANAGE, console, event_or_404
from app.timezones import local_to_utc
from app.waitlist.services import waiting_counts

bp = Blueprint("admin_delegates", __name__, url_prefix="/admin")
cache_policy(bp, PRIVATE)


@bp.route("/acara/<slug>/opd/tautan")
@console(MANAGE)
def links(slug):
    event = event_or_404(slug)
    rows = services.opd_overview(event)
    deadline = next((link.deadline for *_rest, link in rows if link is not None and link.deadline), None)
    return render_template("delegates/console.html", event=event, rows=rows, deadline=deadline,
                           waiting=waiting_counts(event),
                           not_sent=sum(1 for _o, _q, count, _l in rows if count == 0))


@bp.route("/acara/<slug>/opd/tautan/buat", methods=["POST"])
@console(MANAGE)
def issue_all(slug):
    event = event_or_404(slug)
    made = services.issue_links(event)
    flash(_("%(n)s tautan OPD dibuat.", n=made) if made else _("Semua OPD sudah punya tautan."), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/<int:organization_id>/tautan", methods=["POST"])
@console(MANAGE)
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
        flash(_("Tautan baru untuk %(opd)s dibuat.", opd=organization.name), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/<int:organization_id>/tautan/cabut", methods=["POST"])
@console(MANAGE)
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
        flash(_("Tautan %(opd)s dicabut.", opd=link.organization.name), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/tautan/batas", methods=["POST"])
@console(MANAGE)
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
    flash(_("Batas waktu disimpan."), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)



@bp.route("/acara/<slug>/opd/undangan", methods=["GET", "POST"])
@console(MANAGE)
def letter(slug):
    event = event_or_404(slug)
    saved = letters.letter_of(event)
    form = LetterForm(obj=saved)
    if form.validate_on_submit():
        letters.save_letter(event, form.fields_to_save())
        flash(_("Surat undangan disimpan."), "success")
        return redirect(url_for("admin_delegates.letter", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render_template("delegates/letter.html", event=event, form=form,
                           opds=len(services.opd_overview(event))), status


@bp.route("/acara/<slug>/opd/undangan.zip")
@console(MANAGE)
def letters_download(slug):
    """Every OPD's letter as .docx and .pdf; OPDs without a live link get one (so the letter can carry it)."""
    event = event_or_404(slug)
    data = letters.letters_zip(event, _base_url())
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name=f"undangan-{event.slug}.zip", max_age=0)


def _base_url():
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url


@bp.route("/acara/<slug>/opd/<int:organization_id>/kontak", methods=["GET", "POST"])
@console(MANAGE)
def contact(slug, organization_id):
    """The OPD's contact (its secretariat's e-mail and WhatsApp), kept with the OPD for every event."""
    event = event_or_404(slug)
    organization = _taking_part_or_404(event, organization_id)
    form = ContactForm(obj=organization)
    if form.validate_on_submit():
        services.save_contact(organization, form.contact_email.cleaned, form.contact_phone.cleaned)
        flash(_("Kontak %(opd)s disimpan.", opd=organization.name), "success")
        return redirect(url_for("admin_delegates.links", slug=slug), code=303)
    status = 422 if form.errors else 200
    return render_template("delegates/contact.html", event=event, organization=organization, form=form), status


def _taking_part_or_404(event, organization_id):
    for organization, *_rest in services.opd_overview(event):
        if organization.id == organization_id:
            return organization
    abort(404)


@bp.route("/acara/<slug>/opd/tautan/ingatkan", methods=["POST"])
@console(MANAGE)
def remind(slug):
    """An e-mail to every OPD that has sent nobody yet (at most one a day each)."""
    event = event_or_404(slug)
    queued, missing = services.remind_opds_by_email(event, _base_url())
    flash(_("%(n)s pengingat dikirim lewat e-mail.", n=queued), "success")
    if missing:
        flash(_("%(n)s OPD belum mengirim peserta dan tidak punya e-mail kontak: ingatkan lewat WhatsApp atau "
                "isi kontaknya.", n=missing), "info")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)


@bp.route("/acara/<slug>/opd/<int:organization_id>/ingatkan-whatsapp")
@console(MANAGE)
def remind_whatsapp(slug, organization_id):
    """The reminder to one OPD as a WhatsApp click-through, written now from its link and contact as they are."""
    event = event_or_404(slug)
    organization = _taking_part_or_404(event, organization_id)
    link = services.links_of(event).get(organization_id)
    if link is None or link.token is None or not organization.contact_phone:
        abort(404)
    _subject, text = services.reminder_text(event, organization, link, _base_url())
    response = redirect(wa_me(organization.contact_phone, text))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/acara/<slug>/opd/daftar-tunggu", methods=["POST"])
@console(MANAGE)
def waitlist_hold(slug):
    """How long a seat freed for the first on an OPD's waiting list is kept for them (1 to 720 hours)."""
    event = event_or_404(slug)
    hours = parse_number(request.form.get("hours"), 720)
    if hours is None or not 1 <= hours <= 720:
        flash(_("Lama menyimpan kursi harus antara 1 dan 720 jam."), "error")
    else:
        event.waitlist_hold_hours = hours
        flash(_("Kursi dari daftar tunggu disimpan %(n)s jam.", n=hours), "success")
    return redirect(url_for("admin_delegates.links", slug=slug), code=303)
