"""What removing an agenda item or an OPD of an event will lose, in words, for the confirmation page."""
from flask_babel import gettext as _
from sqlalchemy import func

from app.extensions import db
from app.formatting import clock
from app.models import Material, Organization


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
