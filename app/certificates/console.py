"""The committee's "Sertifikat" page: settings, issuing, revoking, re-issuing, downloads and the preview.

The blueprint also carries the JP ledger (ledger_routes.py) and the badges (badge_routes.py).
"""
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.audit import record_access
from app.certificates import public_base_url
from app.certificates.documents import (
    EventDocuments,
    certificate_pdf,
    certificates_zip_chunks,
    file_name,
    printable,
    zip_file_name,
)
from app.certificates.forms import ROUNDING_CHOICES, CertificateSettingsForm, form_data
from app.certificates.images import (
    MAX_BACKGROUND_BYTES,
    ImageRefused,
    read_background,
    read_png,
    replace_stored_image,
)
from app.certificates.issuing import (
    CertificateRefused,
    NumberTaken,
    certificate_counts,
    event_certificates,
    event_over,
    find_certificate,
    issue_certificates,
    preview_certificate,
    preview_registration,
    reissue_certificate,
    revoke_certificate,
    would_issue,
)
from app.certificates.kept_uploads import keep, kept
from app.certificates.numbering import PatternError
from app.certificates.pdf import POSITION_NAMES, certificate_lines, positions_from_layout
from app.certificates.settings import (
    MINUTES_PER_JP,
    certificate_settings,
    colliding_number,
    event_jp,
    jp_breakdown,
    save_certificate_settings,
)
from app.confirm import confirmed
from app.extensions import db
from app.models import utcnow
from app.security_headers import PRIVATE, cache_policy
from app.storage import current_storage, delete_after_commit, unreachable_message
from app.tenants.access import MANAGE, console, event_or_404

bp = Blueprint("admin_certificates", __name__, url_prefix="/admin")
cache_policy(bp, PRIVATE)

REFUSALS = {
    "reason_required": _l("Tuliskan alasannya."),
    "already_revoked": _l("Sertifikat ini sudah dicabut."),
    "already_reissued": _l("Peserta ini sudah punya sertifikat pengganti."),
    "registration_cancelled": _l("Pendaftaran peserta ini dibatalkan."),
}
IMAGE_REFUSALS = {
    "empty": _l("Berkas gambar kosong."),
    "too_large": _l("Gambar terlalu besar (paling besar 2 MB)."),
    "not_png": _l("Gambar tanda tangan harus berupa PNG."),
    "not_pdf": _l("Berkas PDF latar tidak dapat dibaca."),
    "pdf_pages": _l("PDF latar harus tepat satu halaman."),
    "pdf_actions": _l("PDF latar tidak boleh memuat JavaScript atau tindakan otomatis."),
}


def _number_taken(collision):
    return _("Nomor %(number)s sudah dipakai sertifikat acara lain; ganti pola nomornya, atau mulai nomor urut "
             "dari %(next)d.", number=collision.number, next=collision.next_seq)


def _refusal(refusal):
    if isinstance(refusal, NumberTaken):
        return _number_taken(refusal.collision)
    return str(REFUSALS[refusal.code])


def _page(event, form, status=200, kept_uploads=None):
    settings = certificate_settings(event)
    person = preview_registration(event, settings)
    certificates = event_certificates(event)
    breakdown = jp_breakdown(event, settings.jp_rounding or "down")
    return render_template(
        "certificates/admin.html", event=event, form=form, settings=settings,
        counts=certificate_counts(event, settings), certificates=certificates,
        in_force={certificate.registration_id for certificate in certificates if not certificate.revoked_at},
        agenda_minutes=breakdown.minutes, breakdown=breakdown, minutes_per_jp=MINUTES_PER_JP,
        jp_ratio=format_decimal(breakdown.minutes / MINUTES_PER_JP, format="#,##0.##"),
        rounding_label=dict((choice.value, choice.label) for choice in ROUNDING_CHOICES)[breakdown.rounding],
        jp=event_jp(event, settings), preview_person=person, event_over=event_over,
        preview=_preview_lines(event, person, settings) if person else None,
        positions=positions_from_layout(settings.layout), position_names=POSITION_NAMES,
        kept_uploads=kept_uploads or {},
    ), status


def _preview_lines(event, person, settings):
    """The texts the preview shows: those of the PDF the saved settings would make for `person`."""
    certificate = preview_certificate(event, person, settings, now=utcnow())
    page = EventDocuments(event, public_base_url(), settings, sign=False, images=False).page(printable(certificate))
    return {"certificate": certificate, "lines": certificate_lines(page)}


@bp.route("/acara/<slug>/sertifikat", methods=["GET", "POST"])
@console(MANAGE)
def index(slug):
    event = event_or_404(slug)
    form = CertificateSettingsForm()
    if request.method == "GET":
        form.process(data=form_data(certificate_settings(event)))
        return _page(event, form)
    storage = current_storage()
    valid = form.validate_on_submit()  # first: validating clears the errors fields had
    uploads, refused_image = _images_sent(form, storage, event)
    fields = form.settings_fields() if valid else None
    taken = colliding_number(event, fields["number_pattern"], fields["seq_start"],
                             fields["issue_date"]) if fields else None
    if taken is not None:
        form.seq_start.errors.append(_number_taken(taken))
    if not valid or taken is not None or refused_image:
        tokens = {attribute: (request.form.get(f"kept_{attribute}") if was_kept else
                              keep(storage, current_app.secret_key, event, attribute, data) if data else None)
                  for attribute, (data, was_kept) in uploads.items()}
        return _page(event, form, 422, kept_uploads={k: v for k, v in tokens.items() if v})
    settings = save_certificate_settings(event, fields)
    try:
        for attribute, remove in (("signer_image", form.remove_signer_image.data),
                                  ("background", form.remove_background.data)):
            data, was_kept = uploads[attribute]
            if data is not None:
                replace_stored_image(storage, settings, attribute, data)
                if was_kept:
                    delete_after_commit(db.session, storage, was_kept[0])
            elif remove and getattr(settings, attribute):
                replace_stored_image(storage, settings, attribute, None)
    except OSError:
        db.session.rollback()
        current_app.logger.exception("Could not store a certificate image")
        flash(unreachable_message(), "danger")
        return _page(event, form, 503)
    background = uploads["background"][0]
    if background is not None:
        settings.background_kind = "jpg" if background.startswith(b"\xff\xd8") else "png"
    elif settings.background is None:
        settings.background_kind = None
    flash(_("Pengaturan sertifikat disimpan."), "success")
    return redirect(url_for("admin_certificates.index", slug=slug), code=303)


def _images_sent(form, storage, event):
    """({attribute: (bytes or None, (stored name, bytes) if kept from a refused save)}, whether an upload
    was refused) for the signature and the background. Read whatever else refuses the form: an image sent
    with a mistyped NIP is kept for the next try."""
    uploads, refused = {}, False
    for attribute, field, read, limits in (("signer_image", form.signer_image, read_png, {}),
                                           ("background", form.background, read_background,
                                            {"max_bytes": MAX_BACKGROUND_BYTES})):
        try:
            data = _uploaded_image(field, read=read, **limits)
        except ImageRefused:
            refused, data = True, None
        was_kept = None if data is not None else kept(storage, current_app.secret_key, event, attribute,
                                                      request.form.get(f"kept_{attribute}"))
        uploads[attribute] = (data if data is not None else (was_kept[1] if was_kept else None), was_kept)
    return uploads, refused


def _uploaded_image(field, read=read_png, **limits):
    """The checked bytes of an image uploaded in `field`, None if none was sent; ImageRefused (with the
    message on the field) if it is not one."""
    upload = field.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    try:
        return read(upload.stream, **limits)
    except ImageRefused as refusal:
        message = IMAGE_REFUSALS[refusal.code]
        if refusal.code == "not_png" and read is read_background:
            message = _l("Latar harus berupa gambar PNG atau JPEG, atau PDF satu halaman.")
        elif refusal.code == "too_large" and "max_bytes" in limits:
            message = _l("Gambar terlalu besar (paling besar 5 MB).")
        field.errors.append(str(message))
        raise


@bp.route("/acara/<slug>/sertifikat/terbitkan", methods=["POST"])
@console(MANAGE)
def issue(slug):
    """Issue the waiting certificates. Before the last day has ended, first a page that names who would get
    what and says that numbers are permanent (asked by the server, so any old tab or script asks too)."""
    event = event_or_404(slug)
    if not event_over(event) and not confirmed():
        waiting = would_issue(event)
        if waiting:
            return render_template("certificates/confirm_issue.html", event=event, waiting=waiting,
                                   ends_at=event.last_day_ends_at), 200
    try:
        issued = issue_certificates(event)
    except PatternError:
        db.session.rollback()
        flash(_("Pola nomor sertifikat tidak dapat dipakai. Perbaiki di pengaturan."), "danger")
        return redirect(url_for("admin_certificates.index", slug=slug), code=303)
    except NumberTaken as refusal:
        db.session.rollback()
        flash(_refusal(refusal), "danger")
        return redirect(url_for("admin_certificates.index", slug=slug), code=303)
    flash(_("%(n)s sertifikat baru diterbitkan.", n=len(issued)), "success")
    return redirect(url_for("admin_certificates.index", slug=slug), code=303)


def _certificate_or_404(event, certificate_id):
    return find_certificate(event, certificate_id) or abort(404)


def _change(slug, certificate_id, change, done_message):
    event = event_or_404(slug)
    certificate = _certificate_or_404(event, certificate_id)
    try:
        change(certificate, request.form.get("reason", "")[:300])
    except CertificateRefused as refusal:
        db.session.rollback()
        flash(_refusal(refusal), "danger")
    else:
        flash(done_message, "success")
    return redirect(url_for("admin_certificates.index", slug=slug) + "#daftar", code=303)


@bp.route("/acara/<slug>/sertifikat/<int:certificate_id>/cabut", methods=["POST"])
@console(MANAGE)
def revoke(slug, certificate_id):
    return _change(slug, certificate_id, revoke_certificate, _("Sertifikat dicabut."))


@bp.route("/acara/<slug>/sertifikat/<int:certificate_id>/terbitkan-ulang", methods=["POST"])
@console(MANAGE)
def reissue(slug, certificate_id):
    event = event_or_404(slug)
    if _certificate_or_404(event, certificate_id).revoked_at is not None:
        done = _("Sertifikat pengganti diterbitkan untuk sertifikat yang sudah dicabut sebelumnya.")
    else:
        done = _("Sertifikat lama dicabut dan sertifikat baru diterbitkan.")
    return _change(slug, certificate_id, reissue_certificate, done)


@bp.route("/acara/<slug>/sertifikat/<int:certificate_id>.pdf")
@console(MANAGE)
def download(slug, certificate_id):
    event = event_or_404(slug)
    certificate = _certificate_or_404(event, certificate_id)
    record_access(current_user, event, "export", file_name(certificate))
    return send_file(io.BytesIO(certificate_pdf(certificate, public_base_url())), mimetype="application/pdf",
                     as_attachment=True, download_name=file_name(certificate), max_age=0)


@bp.route("/acara/<slug>/sertifikat.zip")
@console(MANAGE)
def download_zip(slug):
    event = event_or_404(slug)
    chunks = certificates_zip_chunks(event, public_base_url())
    record_access(current_user, event, "export", zip_file_name(event))
    db.session.commit()  # early: the streamed zip reads the database after the view has answered
    response = Response(chunks, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{zip_file_name(event)}"'
    # The page counts the files as they arrive against this, to show progress.
    response.headers["X-Certificate-Count"] = str(chunks.total)
    return response


@bp.route("/acara/<slug>/sertifikat/pratinjau.pdf")
@console(MANAGE)
def preview_pdf(slug):
    """The certificate of one real participant as the saved settings would make it (nothing is issued)."""
    event = event_or_404(slug)
    settings = certificate_settings(event)
    person = preview_registration(event, settings) or abort(404)
    certificate = preview_certificate(event, person, settings, now=utcnow())
    data = EventDocuments(event, public_base_url(), settings, sign=False).pdf(printable(certificate))
    return send_file(io.BytesIO(data), mimetype="application/pdf", download_name="pratinjau-sertifikat.pdf",
                     max_age=0)


@bp.route("/acara/<slug>/sertifikat/gambar/<name>.png")
@console(MANAGE)
def stored_image(slug, name):
    """The event's signature image or background, by its stored name (for the preview)."""
    event = event_or_404(slug)
    settings = certificate_settings(event)
    if name not in (settings.signer_image, settings.background):
        abort(404)
    try:
        stream = current_storage().open(name)
    except (OSError, ValueError):
        abort(404)
    mimetype = "image/jpeg" if name == settings.background and settings.background_kind == "jpg" else "image/png"
    return send_file(stream, mimetype=mimetype, max_age=0)

