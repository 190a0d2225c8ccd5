"""What each destructive action of the console will lose, in words, for the confirmation page."""
from flask_babel import gettext as _
from sqlalchemy import func

from app.checkin.services import find_attendance
from app.extensions import db
from app.formatting import clock, tz_abbreviation
from app.models import ApiToken, Attendance, Material, Organization

METHOD_LABELS = {"camera": "kamera", "scanner": "pemindai", "manual": "manual", "import": "impor"}


def cancel_losses(registration):
    days = db.session.execute(
        db.select(func.count()).select_from(Attendance).where(Attendance.registration_id == registration.id)
    ).scalar_one()
    losses = [
        _("Tiket %(name)s tidak berlaku lagi: pindaiannya di meja check-in ditolak.", name=registration.full_name),
        _("Tempatnya di kuota %(opd)s dilepas; memulihkan pendaftaran nanti perlu kuota yang masih tersisa.",
          opd=registration.organization.name),
    ]
    if days:
        losses.append(_("Kehadiran yang sudah tercatat (%(count)d hari) tetap tersimpan, tetapi tidak dihitung di "
                        "daftar hadir dan rekap.", count=days))
    return losses


def undo_check_in_losses(event, registration, day):
    """None when there is no check-in to undo (nothing to lose, nothing to ask)."""
    attendance = find_attendance(registration, day)
    if attendance is None:
        return None
    number = next(n for n, d in enumerate(event.days, start=1) if d.id == day.id)
    return [
        _("Kehadiran %(name)s pada Hari %(n)d (%(time)s %(tz)s, %(method)s) dihapus dari daftar hadir dan rekap.",
          name=registration.full_name, n=number, time=clock(attendance.checked_in_at, event),
          tz=tz_abbreviation(event), method=METHOD_LABELS.get(attendance.method, attendance.method)),
        _("Pembatalan ini dicatat di log pindaian dengan nama Anda."),
    ]


def agenda_item_losses(event, item):
    number = next(n for n, d in enumerate(event.days, start=1) if d.id == item.event_day_id)
    losses = [_("Agenda “%(title)s” (Hari %(n)d, %(time)s) hilang dari halaman acara.", title=item.title, n=number,
                time=clock(item.starts_at, event))]
    materials = db.session.execute(
        db.select(func.count()).select_from(Material).where(Material.agenda_item_id == item.id)
    ).scalar_one()
    if materials:
        losses.append(_("%(count)d materi agenda ini tidak dihapus: menjadi materi umum acara.", count=materials))
    return losses


def material_losses(material, size_text):
    return [
        _("Materi “%(title)s” (%(file)s, %(size)s) dan berkasnya dihapus permanen.", title=material.title,
          file=material.original_name, size=size_text),
        _("Tautan unduhannya di halaman acara dan di tiket peserta tidak berlaku lagi."),
    ]


def dropped_organizations(event_organization_ids, chosen):
    """The names of the OPDs taking part now that `chosen` leaves out, by name."""
    dropped = [organization_id for organization_id in event_organization_ids if organization_id not in chosen]
    if not dropped:
        return []
    return db.session.execute(
        db.select(Organization.name).where(Organization.id.in_(dropped)).order_by(Organization.name)
    ).scalars().all()


def organization_losses(names):
    return [
        _("OPD berikut keluar dari acara, beserta kuotanya: %(names)s.", names=", ".join(names)),
        _("Pendaftar tidak dapat lagi memilih OPD tersebut. OPD yang sudah punya peserta tidak dapat dikeluarkan."),
    ]


def deactivate_losses(user):
    tokens = db.session.execute(
        db.select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalar_one()
    return [
        _("%(email)s tidak dapat masuk lagi; %(count)d token API-nya ditolak dalam beberapa detik.", email=user.email,
          count=tokens),
        _("Penugasan acaranya tetap; akun dapat diaktifkan kembali."),
    ]


def token_label(token):
    return token.name or "#" + str(token.id)


def revoke_losses(token):
    return [_("Token “%(name)s” ditolak di semua server dalam beberapa detik; perangkat yang memakainya perlu token "
              "baru.", name=token_label(token))]


def reset_losses(user):
    return [_("Kata sandi %(email)s yang sekarang tidak berlaku lagi.", email=user.email)]
