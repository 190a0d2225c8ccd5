"""What the programme overview (app/overview/services.py) shows of certificates: counts only."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from app.extensions import db
from app.models import Certificate

CERTIFICATE_FIGURES = (("certificates_issued", _l("Sertifikat terbit")),)


def certificate_figures(event_ids):
    """{event id: {"certificates_issued": certificates in force}}, in one query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        db.select(Certificate.event_id, func.count())
        .where(Certificate.event_id.in_(event_ids), Certificate.revoked_at.is_(None))
        .group_by(Certificate.event_id)
    ).tuples().all()
    return {event_id: {"certificates_issued": count} for event_id, count in rows}
