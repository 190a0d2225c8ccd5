"""Finding an event and the things that belong to it; every blueprint and the CLI look here."""
from app.extensions import db
from app.models import AgendaItem, Event


def find_event(slug):
    """The event with this slug, or None."""
    return db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one_or_none()


def find_agenda_item(event, item_id):
    """The agenda item `item_id` of `event`, or None (an item of another event is None too)."""
    return db.session.execute(
        db.select(AgendaItem).filter_by(id=item_id, event_id=event.id)
    ).scalar_one_or_none()
