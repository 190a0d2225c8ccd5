"""A ticket is reached by its token alone: the ticket page, its materials, the evaluation form, the edit
and privacy pages all start here."""
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Registration


def find_ticket(token, *, with_organization=False):
    """The registration behind a ticket token, or None."""
    if not token or len(token) > 64:
        return None
    query = db.select(Registration).filter_by(ticket_token=token)
    if with_organization:  # the check-in desk shows the OPD with every answer
        query = query.options(joinedload(Registration.organization))
    return db.session.execute(query).scalar_one_or_none()
