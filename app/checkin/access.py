"""Who may check people in for an event: every admin, and the operators assigned to it."""
from sqlalchemy.exc import IntegrityError

from app.cache import Memo
from app.extensions import db
from app.models import EventOperator

_ASSIGNMENT = db.select(EventOperator.id).where(
    EventOperator.event_id == db.bindparam("event_id"), EventOperator.user_id == db.bindparam("user_id")
)


def may_operate(user, event):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_admin:
        return True
    if not user.can_check_in:
        return False
    return db.session.execute(_ASSIGNMENT, {"event_id": event.id, "user_id": user.id}).first() is not None


def assign_operator(user, event):
    """Let `user` check people in for `event`; False if they already could. The caller commits."""
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
    return _operating.get((user.id, user.role, event.id), lambda: may_operate(user, event))
