"""The committee's side of messages, under /admin: "Kirim tiket" per person and in bulk, the WhatsApp
click-through list and the Pesan page. Admins only (the admin blueprint), scoped by event_or_404."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.participants import find_registration
from app.admin.routes import event_or_404
from app.extensions import db
from app.messages import services
from app.models import CHANNEL_EMAIL, CHANNEL_WHATSAPP
from app.routing import local_path


def _channel():
    channel = request.form.get("channel", CHANNEL_EMAIL)
    if channel not in (CHANNEL_EMAIL, CHANNEL_WHATSAPP):
        abort(400)
    return channel


def _back(slug):
    return redirect(local_path(request.form.get("next")) or url_for("admin.messages", slug=slug), code=303)


@bp.route("/acara/<slug>/peserta/<int:registration_id>/kirim-tiket", methods=["POST"])
def send_ticket(slug, registration_id):
    event = event_or_404(slug)
    registration = find_registration(event, registration_id) or abort(404)
    channel = _channel()
    if not registration.is_active:
        flash(_("Pendaftaran %(name)s dibatalkan: tidak ada tiket untuk dikirim.", name=registration.full_name),
              "danger")
        return _back(slug)
    if channel == CHANNEL_WHATSAPP:
        message_id = services.queue_ticket_whatsapp(registration)
        db.session.commit()
        return redirect(url_for("admin.messages", slug=slug, _anchor=f"pesan-{message_id}"), code=303)
    services.queue_ticket_email(registration)
    db.session.commit()
    flash(_("Tiket %(name)s akan dikirim ke %(email)s.", name=registration.full_name, email=registration.email),
          "success")
    return _back(slug)


@bp.route("/acara/<slug>/pesan/kirim-tiket", methods=["POST"])
def send_tickets_to_unsent(slug):
    event = event_or_404(slug)
    channel = _channel()
    written = services.queue_ticket_to_unsent(event, channel)
    db.session.commit()
    if channel == CHANNEL_WHATSAPP:
        flash(_("%(n)d pesan WhatsApp siap dibuka satu per satu di bawah.", n=written), "success")
    else:
        flash(_("%(n)d tiket masuk antrean e-mail.", n=written), "success")
    return _back(slug)


@bp.route("/acara/<slug>/pesan/<int:message_id>/terkirim", methods=["POST"])
def mark_whatsapp_sent(slug, message_id):
    """The committee opened a click-through message in WhatsApp (the page posts this on the click)."""
    event = event_or_404(slug)
    message = services.mark_clicked(event, message_id) or abort(404)
    db.session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(id=message.id, status=message.status)
    return _back(slug)


@bp.route("/acara/<slug>/pesan")
def messages(slug):
    event = event_or_404(slug)
    return render_template(
        "messages/admin.html", event=event, whatsapp=services.whatsapp_todo(event),
        whatsapp_link=services.whatsapp_link, log=services.send_log(event),
    )
