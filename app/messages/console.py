"""The committee's side of messages, under /admin: "Kirim tiket" per person and in bulk, the WhatsApp
click-through list and the Pesan page. Admins only (the admin blueprint), scoped by event_or_404."""
from urllib.parse import urlsplit

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.audit import record_access
from app.confirm import ask_first, confirmed
from app.console import bp
from app.evaluation.services import forms_of
from app.formatting import event_moment, long_date
from app.messages import reminders, services, templates
from app.messages.compose import public_base_url, wa_me
from app.messages.forms import KINDS, ComposeForm, ContactForm, TemplateForm
from app.models import CHANNEL_EMAIL, CHANNEL_WHATSAPP, utcnow
from app.registration.participants import find_registration
from app.registration.services import event_organizations
from app.routing import local_path, parse_id
from app.tenants.access import MANAGE, console, event_or_404
from app.timezones import local_to_utc

# Links written from these addresses open nowhere on a participant's phone.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def _channel():
    channel = request.form.get("channel", CHANNEL_EMAIL)
    if channel not in (CHANNEL_EMAIL, CHANNEL_WHATSAPP):
        abort(400)
    return channel


def _back(slug):
    return redirect(local_path(request.form.get("next")) or url_for("admin.messages", slug=slug), code=303)


@bp.route("/acara/<slug>/peserta/<int:registration_id>/kirim-tiket", methods=["POST"])
@console(MANAGE)
def send_ticket(slug, registration_id):
    event = event_or_404(slug)
    registration = find_registration(event, registration_id) or abort(404)
    channel = _channel()
    if not registration.is_active:
        flash(_("Pendaftaran %(name)s dibatalkan: tidak ada tiket untuk dikirim.", name=registration.full_name),
              "danger")
        return _back(slug)
    if not (registration.phone if channel == CHANNEL_WHATSAPP else registration.email):
        flash(_("%(name)s tidak punya nomor WhatsApp: tiket tidak dapat dikirim.", name=registration.full_name)
              if channel == CHANNEL_WHATSAPP else
              _("%(name)s tidak punya alamat e-mail: tiket tidak dapat dikirim.", name=registration.full_name),
              "danger")
        return _back(slug)
    if channel == CHANNEL_WHATSAPP:
        message_id = services.queue_ticket_whatsapp(registration)
        return redirect(url_for("admin.messages", slug=slug, _anchor=f"pesan-{message_id}"), code=303)
    services.queue_ticket_email(registration)
    flash(_("Tiket %(name)s akan dikirim ke %(email)s.", name=registration.full_name, email=registration.email),
          "success")
    return _back(slug)


def _left_out(outcome, channel):
    """Why people were left out of a bulk ticket send, one phrase per reason."""
    whatsapp = channel == CHANNEL_WHATSAPP
    reasons = [
        (outcome.already_sent, _("%(n)d sudah dikirimi tiket lewat WhatsApp", n=outcome.already_sent) if whatsapp
         else _("%(n)d sudah dikirimi tiket lewat e-mail", n=outcome.already_sent)),
        (outcome.underway, _("%(n)d sudah menunggu di daftar WhatsApp di bawah", n=outcome.underway) if whatsapp
         else _("%(n)d masih dalam antrean e-mail", n=outcome.underway)),
        (outcome.already_tried, _("%(n)d pernah dicoba dan gagal (lihat log pengiriman)", n=outcome.already_tried)),
        (outcome.no_address, _("%(n)d tanpa nomor WhatsApp", n=outcome.no_address) if whatsapp
         else _("%(n)d tanpa alamat e-mail", n=outcome.no_address)),
        (outcome.cancelled, _("%(n)d pendaftarannya dibatalkan", n=outcome.cancelled)),
    ]
    return [text for count, text in reasons if count]


@bp.route("/acara/<slug>/pesan/kirim-tiket", methods=["POST"])
@console(MANAGE)
def send_tickets_to_unsent(slug):
    event = event_or_404(slug)
    channel = _channel()
    outcome = services.queue_ticket_to_unsent(event, channel)
    if channel == CHANNEL_WHATSAPP:
        done = _("%(n)d pesan WhatsApp siap dibuka satu per satu di bawah.", n=outcome.written)
    else:
        done = _("%(n)d tiket masuk antrean e-mail.", n=outcome.written)
    reasons = _left_out(outcome, channel)
    if reasons:
        done += " " + _("Tidak disiapkan: %(reasons)s.", reasons="; ".join(reasons))
    elif not outcome.written:
        done += " " + _("Belum ada peserta.")
    flash(done, "success" if outcome.written else "warning")
    return _back(slug)


@bp.route("/acara/<slug>/pesan/<int:message_id>/whatsapp")
@console(MANAGE)
def open_whatsapp(slug, message_id):
    """ "Buka WhatsApp": the message built now, from the registration as it is now, then off to wa.me.
    Marking it sent is the page's POST (a GET changes nothing)."""
    event = event_or_404(slug)
    message = services.find_whatsapp(event, message_id) or abort(404)
    refusal = services.whatsapp_refusal(message)
    if refusal is not None:
        flash(_whatsapp_refusal_text(refusal), "danger")
        return redirect(url_for("admin.messages", slug=slug, _anchor=f"pesan-{message.id}"), code=303)
    phone, content = services.whatsapp_content(message)
    response = redirect(wa_me(phone, content.text))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _whatsapp_refusal_text(refusal):
    return {services.TRANSFERRED: _("Kursi ini sudah dialihkan ke rekan: pesan tidak dikirim. Rekan itu punya "
                                    "pendaftaran dan tiketnya sendiri."),
            services.NOT_ACTIVE: _("Pendaftaran ini sudah dibatalkan: pesan tidak dikirim."),
            services.NO_PHONE: _("Peserta ini tidak punya nomor WhatsApp: pesan tidak dapat dikirim."),
            services.GONE: _("Data peserta ini sudah dihapus: pesan tidak dikirim.")}[refusal]


@bp.route("/acara/<slug>/pesan/<int:message_id>/terkirim", methods=["POST"])
@console(MANAGE)
def mark_whatsapp_sent(slug, message_id):
    """The committee opened a click-through message in WhatsApp (the page posts this on the click); or set
    aside one that cannot go out any more."""
    event = event_or_404(slug)
    message = services.mark_clicked(event, message_id) or abort(404)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(id=message.id, status=message.status)
    return _back(slug)


def _audiences(event, organizations):
    choices = [SelectChoice("all", _("Semua peserta aktif")), SelectChoice("unsent", _("Yang belum menerima tiket"))]
    for number, day in enumerate(event.days, start=1):
        choices.append(SelectChoice(f"present:{day.id}", _("Hadir pada hari %(n)s", n=number)))
        choices.append(SelectChoice(f"absent:{day.id}", _("Belum/tidak hadir pada hari %(n)s", n=number)))
    choices += [SelectChoice(f"unanswered:{form.id}", _("Belum mengisi: %(title)s", title=form.title))
                for form in forms_of(event)]
    choices += [SelectChoice(f"opd:{organization.id}", organization.name) for organization in organizations]
    return choices


def _compose_form(event):
    form = ComposeForm()
    form.audience.choices = _audiences(event, [o for _eo, o in event_organizations(event)])
    form.day.choices = [SelectChoice(day.id, _("Hari %(n)s", n=number) + f" · {long_date(day.date)}")
                        for number, day in enumerate(event.days, start=1)]
    return form


def _request_base_url():
    """The address the committee is using, kept with what it schedules for the links of its messages."""
    return request.url_root.rstrip("/")[:200]


def _day_of(event, day_id):
    return next((day for day in event.days if day.id == day_id), None)


def _template_sections(event, editing=None, preview=None):
    """Per templated kind: its label, whether the committee reworded it, the form (filled with the current
    text, or as typed for the kind being edited), its placeholders, and its preview if one was asked."""
    saved = templates.templates_of(event)
    sections = []
    for kind in templates.TEMPLATE_KINDS:
        if editing is not None and editing[0] == kind:
            form = editing[1]
        else:
            current = saved.get(kind) or templates.builtin(kind)
            form = TemplateForm(formdata=None, prefix=kind, data={"subject": current.subject, "body": current.body})
        sections.append({"kind": kind, "custom": kind in saved, "form": form,
                         "placeholders": templates.PLACEHOLDERS[kind],
                         "open": editing is not None and editing[0] == kind,
                         "preview": preview if editing is not None and editing[0] == kind else None})
    return sections


def _page(event, form, preview=None, status=200, template_sections=None):
    registration_id = parse_id(request.args.get("peserta"))
    # The page lists recipients (the send log, the WhatsApp numbers to open).
    record_access(current_user, event, "export", f"pesan {registration_id or ''}".strip())
    return render_template(
        "messages/admin.html", event=event, form=form, preview=preview, reminders=reminders.scheduled(event),
        whatsapp=services.whatsapp_todo(event), whatsapp_refusal=services.whatsapp_refusal,
        whatsapp_refusal_text=_whatsapp_refusal_text,
        log=services.send_log(event, registration_id=registration_id), log_for=registration_id,
        unaddressed=reminders.without_address(event),
        local_links=not public_base_url() and urlsplit(request.url_root).hostname in LOOPBACK_HOSTS,
        audience_labels={choice.value: choice.label for choice in form.audience.choices},
        template_sections=template_sections or _template_sections(event),
    ), status


@bp.route("/acara/<slug>/pesan", methods=["GET", "POST"])
@console(MANAGE)
def messages(slug):
    event = event_or_404(slug)
    form = _compose_form(event)
    if not form.validate_on_submit():
        return _page(event, form, status=422 if form.errors else 200)
    options = {"day": _day_of(event, form.day.data), "subject": (form.subject.data or "").strip(),
               "body": (form.body.data or "").strip()}
    if request.form.get("action") == "preview":
        count, content = reminders.preview(event, form.kind.data, form.audience.data, channel=form.channel.data,
                                           **options)
        return _page(event, form, preview={"count": count, "content": content, "channel": form.channel.data,
                                           "unreachable": reminders.unreachable(event, form.audience.data,
                                                                                form.channel.data)})
    send_at = local_to_utc(form.send_at.data, event.timezone) or utcnow()
    scheduled = reminders.schedule(event, kind=form.kind.data, audience=form.audience.data, send_at=send_at,
                                   base_url=_request_base_url(), channel=form.channel.data, **options)
    if scheduled is None:
        flash(_("Pesan yang sama untuk penerima dan waktu itu sudah terjadwal."), "warning")
    elif form.channel.data == CHANNEL_WHATSAPP:
        flash(_("Pesan WhatsApp dijadwalkan; pada waktunya pesan setiap penerima muncul di daftar WhatsApp di "
                "halaman ini, siap dibuka satu per satu."), "success")
    else:
        flash(_("Pesan dijadwalkan; pekerja pengirim menuliskannya untuk setiap penerima pada waktunya."), "success")
    return redirect(url_for("admin.messages", slug=slug), code=303)


def _template_kind_or_404(kind):
    if kind not in templates.TEMPLATE_KINDS:
        abort(404)
    return kind


@bp.route("/acara/<slug>/pesan/template/<kind>", methods=["POST"])
@console(MANAGE)
def message_template(slug, kind):
    """Save, or preview with one real participant, the committee's wording of `kind`."""
    event = event_or_404(slug)
    kind = _template_kind_or_404(kind)
    form = TemplateForm(prefix=kind)
    if not form.validate_on_submit():
        return _page(event, _compose_form(event), status=422,
                     template_sections=_template_sections(event, editing=(kind, form)))
    wording = templates.Wording(form.subject.data, form.body.data)
    if request.form.get("action") == "preview":
        count, content = reminders.preview(event, kind, reminders.AUDIENCE_ALL, template=wording)
        return _page(event, _compose_form(event), template_sections=_template_sections(
            event, editing=(kind, form), preview={"count": count, "content": content}))
    templates.save_template(event, kind, wording)
    flash(_("Templat disimpan: pesan yang ditulis mulai sekarang memakai teks ini; pesan yang sudah antre tidak "
            "berubah."), "success")
    return redirect(url_for("admin.messages", slug=slug, _anchor=f"template-{kind}"), code=303)


@bp.route("/acara/<slug>/pesan/template/<kind>/bawaan", methods=["POST"])
@console(MANAGE)
def reset_message_template(slug, kind):
    """ "Kembalikan ke teks bawaan": the committee's wording of `kind` is dropped (asked first)."""
    event = event_or_404(slug)
    kind = _template_kind_or_404(kind)
    back = url_for("admin.messages", slug=slug, _anchor=f"template-{kind}")
    if not confirmed():
        if templates.find_template(event, kind) is None:
            return redirect(back, code=303)
        return ask_first(title=_("Kembalikan ke teks bawaan?"),
                         losses=[_("Teks panitia untuk pesan ini dihapus; pesan berikutnya memakai teks bawaan.")],
                         confirm_label=_("Ya, kembalikan"), back_url=back)
    if templates.reset_template(event, kind):
        flash(_("Teks bawaan dipakai lagi."), "success")
    return redirect(back, code=303)


@bp.route("/acara/<slug>/pesan/pengingat-standar", methods=["POST"])
@console(MANAGE)
def schedule_standard_reminders(slug):
    event = event_or_404(slug)
    added = reminders.schedule_standard(event, base_url=_request_base_url())
    flash(_("%(n)d pengingat dijadwalkan.", n=added), "success")
    return redirect(url_for("admin.messages", slug=slug, _anchor="jadwal"), code=303)


def _unschedule_losses(event, reminder):
    kinds = {choice.value: choice.label for choice in KINDS}
    audiences = {choice.value: choice.label
                 for choice in _audiences(event, [o for _eo, o in event_organizations(event)])}
    return [_("%(kind)s untuk %(audience)s, %(when)s: tidak akan dikirim.",
              kind=kinds.get(reminder.kind, reminder.kind),
              audience=audiences.get(reminder.audience, reminder.audience), when=event_moment(reminder.send_at, event))]


@bp.route("/acara/<slug>/pesan/jadwal/<int:reminder_id>/hapus", methods=["POST"])
@console(MANAGE)
def unschedule_reminder(slug, reminder_id):
    event = event_or_404(slug)
    if not confirmed():
        reminder = reminders.find_pending(event, reminder_id) or abort(404)
        return ask_first(title=_("Hapus jadwal pesan?"), losses=_unschedule_losses(event, reminder),
                         confirm_label=_("Ya, hapus jadwal"),
                         back_url=url_for("admin.messages", slug=slug, _anchor="jadwal"))
    reminders.unschedule(event, reminder_id) or abort(404)
    flash(_("Jadwal pesan dihapus."), "success")
    return redirect(url_for("admin.messages", slug=slug, _anchor="jadwal"), code=303)


@bp.route("/acara/<slug>/kontak", methods=["POST"])
@console(MANAGE)
def event_contact(slug):
    """The event's contact person and the time self-service changes close (on the Pengaturan page)."""
    event = event_or_404(slug)
    form = ContactForm()
    if form.validate_on_submit():
        event.contact_name = (form.contact_name.data or "").strip() or None
        event.contact_phone = form.contact_phone.cleaned
        event.edits_close_at = local_to_utc(form.edits_close_at.data, event.timezone)
        flash(_("Kontak panitia disimpan."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
    return redirect(url_for("admin.edit_event", slug=slug, _anchor="kontak"), code=303)
