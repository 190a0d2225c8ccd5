"""Who may check people in for an event: its tenant's admins, and the committee members and
operators assigned to it (the scopes themselves are in access.py, beside this module)."""
from sqlalchemy.exc import IntegrityError

from app.cache import Memo
from app.extensions import db
from app.models import EventOperator
from app.tenants.access import OPERATE, can


def may_operate(user, event):
    return can(user, OPERATE, event)


def assign_operator(user, event):
    """Assign `user` (an operator or committee member) to `event`; False if they already were.
    A user of another tenant cannot be assigned (ValueError). The caller commits."""
    if user.tenant_id is not None and user.tenant_id != event.tenant_id:
        raise ValueError(f"{user.email} belongs to another tenant than the event {event.slug}")
    try:
        with db.session.begin_nested():
            db.session.add(EventOperator(event_id=event.id, user_id=user.id))
    except IntegrityError:
        return False
    return True


# (user, role, event) → True for CHECKIN_CACHE_SECONDS: an operator removed from an event may
# go on checking people in there for at most that long; a refusal is never remembered.
_operating = Memo()


def may_operate_recently(user, event):
    """may_operate, remembered for a few seconds: the API asks it on every scan."""
    return _operating.get((user.id, user.role, user.tenant_id, event.id), lambda: may_operate(user, event))
