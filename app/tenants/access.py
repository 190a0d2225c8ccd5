"""Who may see what, event by event: every console page, download, export and API route asks here.

Outside a user's scope an event does not exist: it answers 404, never 403 (a 403 would tell a
committee of one government that another's event exists). The scopes (app/models/user.py):

- admin, no tenant: every event (the install administrator);
- admin of a tenant: every event of that tenant;
- committee: the console of the events assigned to them (event_operators), check-in there too;
- operator: check-in at the events assigned to them;
- pengamat: aggregates only (the programme overview), of every tenant or of theirs.

Each console view says who may call it, on the view, checked once per request and for the console's
requests only (a scan pays for none of it; tests/test_request_hooks.py checks every console view has one):

- `@console(MANAGE)`: a view of one event (its `slug`), 404 outside the scope;
- `@operator_of_event`: the check-in station of one event, 404 outside the scope;
- `@console_page`: a console page of no one event, 403 to whoever has no console;
- `@admin_only`: an administrator's page (accounts, a new event), 403 to a committee member.

Anything else loads its event with `event_or_404(slug, action)` and asks `can(user, action, event)`.
"""
from functools import wraps

from flask import abort, g, has_request_context
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

    Remembered for the rest of the request (a view's decorator and the view itself both ask)."""
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


def _signed_in_or_login():
    """The login page's redirect for an anonymous visitor (401 for a JSON caller), else None."""
    return None if current_user.is_authenticated else login_manager.unauthorized()


def _checked(capability, check):
    """A view decorator running `check(view's arguments)` before the view: it answers (a login redirect)
    or aborts (403, 404), or lets the view run. The view carries `capability` as `view.access`."""
    def decorate(view):
        @wraps(view)
        def checked_view(*args, **kwargs):
            answer = _signed_in_or_login() or check(kwargs)
            return answer if answer is not None else view(*args, **kwargs)

        checked_view.__dict__["access"] = capability  # what tests/test_request_hooks.py reads
        return checked_view

    return decorate


def console(action=MANAGE):
    """A view of one event (its `slug` argument) for who may do `action` on it: 404 for anyone else
    (operators and pengamat included), the login page for an anonymous visitor."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    def in_scope(arguments):
        event_or_404(arguments["slug"], action)  # remembered: the view's own event_or_404 asks no query

    return _checked(f"event:{action}", in_scope)


# The check-in station of one event: its operators, its committee and admins.
operator_of_event = console(OPERATE)


def _has_console(arguments):
    if not current_user.has_console:
        abort(403)


def _is_admin(arguments):
    if not current_user.is_admin:
        abort(403)


# A console page of no one event (the events list, the JP ledger …): admins and committees, 403 for others.
console_page = _checked("console", _has_console)
# An administrator's page (accounts, a new event): admins only, 403 for a committee member.
admin_only = _checked("admin", _is_admin)


def init_access(app):
    app.jinja_env.globals["may_manage"] = lambda event: can(current_user, MANAGE, event)
