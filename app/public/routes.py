from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.events.lookup import find_event
from app.extensions import db
from app.materials.services import material_groups
from app.models import Event, utcnow
from app.tenants.operators import may_operate

bp = Blueprint("public", __name__)


@bp.route("/")
def index():
    events = db.session.execute(db.select(Event).order_by(Event.created_at.desc())).scalars().all()
    # A committee member sees the desks they may open, next to each event.
    stations = {event.id for event in events if may_operate(current_user, event)}
    return render_template("public/index.html", events=events, stations=stations)


@bp.route("/e/<slug>")
def event_page(slug):
    event = find_event(slug) or abort(404)
    return render_template(
        "public/event.html",
        event=event,
        state=event.registration_state(utcnow()),
        material_groups=material_groups(event, public_only=True),
    )
