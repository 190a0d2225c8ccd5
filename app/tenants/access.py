"""Who may see what, event by event: every console page, download, export and API route asks here.

Outside a user's scope an event does not exist: it answers 404, never 403 (a 403 would tell a
committee of one government that another's event exists). The scopes (app/models/user.py):

- admin, no tenant: every event (the install administrator);
- admin of a tenant: every event of that tenant;
- committee: the console of the events assigned to them (event_operators), check-in there too;
- operator: check-in at the events assigned to them;
- pengamat: aggregates only (the programme overview), of every tenant or of theirs.

A console blueprint says so with `console_blueprint(bp)` (each admin* one does; a test checks it): a
route with a `slug` argument is then reached only by a user who may manage that event, and the check
runs for the console's requests only, not for a scan's. Anything else loads its event
with `event_or_404(slug, action)` and asks `can(user, action, event)`.
"""
from flask import abort, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import false, true

from app.extensions import db, login_manager
from app.models import Event, EventOperator
from app.models.user import ROLE_ADMIN, ROLE_COMMITTEE, ROLE_OBSERVER, ROLE_OPERATOR

MANAGE = "manage"  # the console of an event: set-up, participants, exports, materials, messages …
OPERATE = "operate"  # check people in
OBSERVE = "observe"  # aggregates in the programme overview
ACTIONS = (MANAGE, OPERATE, OBSERVE)

_ASSIGNMENT = db.select(EventOperator.id).where(
    EventOperator.event_id == db.bindparam("event_id"), EventOperator.user_id == db.bindparam("user_id")
)


def _signed_in(user):
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def _in_tenant(user, event):
    return user.tenant_id is None or user.tenant_id == event.tenant_id


def is_assigned(user, event):
    """Whether `user` is assigned to `event` (event_operators): a committee member or an operator."""
    return db.session.execute(
        _ASSIGNMENT, {"event_id": event.id, "user_id": user.id}
    ).first() is not None


def can(user, action, event):
    """Whether `user` may do `action` (MANAGE, OPERATE, OBSERVE) on `event` (an Event, or anything
    with id and tenant_id)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if event is None or not _signed_in(user) or not _in_tenant(user, event):
        return False
    role = user.role
    if role == ROLE_ADMIN:
        return True
    if role == ROLE_OBSERVER:
        return action == OBSERVE
    if role == ROLE_COMMITTEE or (role == ROLE_OPERATOR and action == OPERATE):
        return is_assigned(user, event)
    return False


def event_or_404(slug, action=MANAGE, user=None):
    """The event `slug` if the user (the signed-in one by default) may do `action` on it, else 404.

    Remembered for the rest of the request (the console's before_request and its route both ask)."""
    user = current_user if user is None else user
    key = (getattr(user, "id", None), slug, action)
    remembered = g.get("scoped_events") if has_request_context() else None
    if remembered is not None and key in remembered:
        return remembered[key]
    # The query of app/events/lookup.py's find_event: the events package sits above this module.
    event = db.session.execute(db.select(Event).filter_by(slug=slug)).scalar_one_or_none() \
        if isinstance(slug, str) else None
    if event is None or not can(user, action, event):
        abort(404)
    if has_request_context():
        g.scoped_events = {**(remembered or {}), key: event}
    return event


def scoped_events(user, action=MANAGE):
    """A select of the events `user` may do `action` on (newest first); add filters as needed."""
    query = db.select(Event).order_by(Event.created_at.desc(), Event.id.desc())
    if not _signed_in(user):
        return query.where(false())
    if user.tenant_id is not None:
        query = query.where(Event.tenant_id == user.tenant_id)
    role = user.role
    if role == ROLE_ADMIN or (role == ROLE_OBSERVER and action == OBSERVE):
        return query.where(true())
    if role == ROLE_COMMITTEE or (role == ROLE_OPERATOR and action == OPERATE):
        return query.where(Event.id.in_(db.select(EventOperator.event_id).where(EventOperator.user_id == user.id)))
    return query.where(false())


def tenant_scope(user):
    """The tenant ids whose own pages (accounts, audit log, OPD list) the user administers:
    None for every tenant (the install administrator), [] for none."""
    if not _signed_in(user) or user.role != ROLE_ADMIN:
        return []
    return None if user.tenant_id is None else [user.tenant_id]


def may_administer_tenant(user, tenant_id):
    scope = tenant_scope(user)
    return scope is None or tenant_id in scope


def tenant_filter(user, column):
    """A where-clause keeping rows whose `column` (a tenant id) the user administers."""
    scope = tenant_scope(user)
    if scope is None:
        return true()
    return column.in_(scope) if scope else false()


def require_console_scope():
    """before_request of every console blueprint: sign-in, a console role, and the event's scope."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    slug = (request.view_args or {}).get("slug")
    if slug is not None:
        event_or_404(slug)  # 404 for whoever may not manage it: operators and pengamat included
    elif not current_user.has_console:
        abort(403)
    return None


def console_blueprint(bp):
    """Make every route of `bp` a console route (require_console_scope before the blueprint's own checks).

    Called before the blueprint registers any before_request of its own; the app's hooks (the input
    guard) run before it, so an event is looked up only for a sane slug."""
    bp.before_request(require_console_scope)
    return bp


def init_access(app):
    app.jinja_env.globals["may_manage"] = lambda event: can(current_user, MANAGE, event)
