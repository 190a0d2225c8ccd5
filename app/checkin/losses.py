"""What undoing a check-in will lose, in words, for the confirmation page."""
from flask_babel import gettext as _

from app.checkin.services import find_attendance
from app.formatting import clock, tz_abbreviation

METHOD_LABELS = {"camera": "kamera", "scanner": "pemindai", "manual": "manual", "import": "impor"}


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
