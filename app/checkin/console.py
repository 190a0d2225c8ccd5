"""The committee's "Belum hadir" page: per event day, who has not been checked in yet (name, OPD, phone
with a WhatsApp link), by OPD if asked, as a workbook too, and the "belum tercatat hadir" message to
them in one action."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record_access
from app.checkin.absentees import absentees, day_started, write_absentees_workbook
from app.formatting import long_date
from app.messages.compose import wa_me
from app.messages.reminders import schedule
from app.models import CHANNEL_EMAIL, CHANNEL_WHATSAPP, KIND_ABSENT, utcnow
from app.registration.services import event_organizations
from app.routing import parse_id
from app.security_headers import PRIVATE, cache_policy
from app.tenants.access import MANAGE, console, event_or_404
from app.timezones import today_in

bp = Blueprint("admin_checkin", __name__, url_prefix="/admin")
cache_policy(bp, PRIVATE)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen(event, values):
    """The day asked for (else today if it is an event day, else the first day) and the OPD id or None."""
    if not event.days:
        abort(404)
    day_id = parse_id(values.get("hari"))
    today = today_in(event)
    day = next((d for d in event.days if d.id == day_id), None) or event.day_on(today) or event.days[0]
    organization_id = parse_id(values.get("opd"))
    if organization_id is not None and organization_id not in {o.id for _eo, o in event_organizations(event)}:
        organization_id = None
    return day, organization_id


def _day_label(event, day):
    return _("Hari %(n)s, %(date)s", n=event.days.index(day) + 1, date=long_date(day.date))


@bp.route("/acara/<slug>/belum-hadir")
@console(MANAGE)
def absent(slug):
    event = event_or_404(slug)
    day, organization_id = _chosen(event, request.args)
    people = absentees(event, day, organization_id)
    record_access(current_user, event, "export", f"halaman belum hadir {day.date.isoformat()}")
    return render_template(
        "checkin/absentees.html", event=event, day=day, people=people, organization_id=organization_id,
        organizations=[o for _eo, o in event_organizations(event)], day_label=_day_label(event, day),
        whatsapp={person.id: wa_me(person.phone) for person in people if person.phone},
        may_send=day_started(event, day, utcnow()),
    )


@bp.route("/acara/<slug>/belum-hadir.xlsx")
@console(MANAGE)
def absent_workbook(slug):
    event = event_or_404(slug)
    day, organization_id = _chosen(event, request.args)
    people = absentees(event, day, organization_id)
    stream = io.BytesIO()
    write_absentees_workbook(stream, event, _day_label(event, day), people)
    stream.seek(0)
    name = f"belum-hadir-{event.slug}-{day.date.isoformat()}.xlsx"
    record_access(current_user, event, "export", name)
    return send_file(stream, mimetype=XLSX, as_attachment=True, download_name=name, max_age=0)


@bp.route("/acara/<slug>/belum-hadir/kirim", methods=["POST"])
@console(MANAGE)
def send_absent_message(slug):
    """The standard "belum tercatat hadir" message, now, to whoever is still absent when the worker writes
    it. The time is taken to the minute: a double click schedules it once."""
    event = event_or_404(slug)
    day, _organization_id = _chosen(event, request.form)
    now = utcnow()
    back = url_for("admin_checkin.absent", slug=slug, hari=day.id)
    if not day_started(event, day, now):
        flash(_("Pesan \"belum tercatat hadir\" baru dapat dikirim setelah hari itu dimulai."), "error")
        return redirect(back, code=303)
    channel = CHANNEL_WHATSAPP if request.form.get("channel") == CHANNEL_WHATSAPP else CHANNEL_EMAIL
    reminder = schedule(event, kind=KIND_ABSENT, audience=f"absent:{day.id}", day=day, channel=channel,
                        send_at=now.replace(second=0, microsecond=0), base_url=request.host_url.rstrip("/"))
    if reminder is None:
        flash(_("Pesan ini baru saja dikirim; tidak dikirim dua kali."), "info")
    elif channel == CHANNEL_WHATSAPP:
        flash(_("Pesan WhatsApp disiapkan; buka daftar kirim di halaman Pesan."), "success")
    else:
        flash(_("Pesan \"belum tercatat hadir\" dikirim lewat e-mail kepada yang belum hadir."), "success")
    return redirect(back, code=303)
