"""What cancelling a registration will lose, in words, for the confirmation page."""
from flask_babel import gettext as _
from sqlalchemy import func

from app.extensions import db
from app.models import Attendance


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
