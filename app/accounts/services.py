"""Managing committee accounts: invite, roles, operators' events, deactivation, passwords, API tokens.

Every change is written to the admin audit log (AdminAuditEntry) in the same transaction: the
log says who did what to whom, and the change and its entry are committed together or not at all.
The actor is a User, or None for the command line. Services take plain arguments; the caller commits.

Passwords, roles and deactivation go through app/auth/services.py (set_password, change_role,
set_active): the one password checker (app/auth/passwords.py) judges every password, and a user
whose password is set, who is deactivated or whose role changes loses every signed-in session
(end_sessions), on every device.
"""
import secrets
from dataclasses import dataclass
from typing import cast

from sqlalchemy import CursorResult, func, update

from app.auth import services as auth
from app.auth.passwords import password_problem
from app.auth.services import AccountError, PasswordRefused, create_user, find_user
from app.extensions import db
from app.models import (
    ROLE_ADMIN,
    ROLE_COMMITTEE,
    ROLE_OBSERVER,
    ROLE_OPERATOR,
    ROLES,
    AdminAuditEntry,
    ApiToken,
    Event,
    EventOperator,
    User,
    utcnow,
)
from app.tenants.operators import assign_operator
from app.values import InvalidValue, clean_email

CLI_ACTOR = "cli"

ACTIONS = (
    "user_created", "role_changed", "deactivated", "reactivated", "password_reset", "password_set",
    "password_changed", "operator_assigned", "operator_unassigned", "token_revoked", "tenant_set",
)


class AccountRefused(Exception):
    """Why an account change was not made: a code (see app/accounts/messages.py) and a detail."""

    def __init__(self, code, detail=""):
        super().__init__(code)
        self.code = code
        self.detail = detail


def record(actor, action, target=None, detail=""):
    """Write one entry of the admin audit log. The caller commits (with the change it records)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AdminAuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor=actor.email if actor is not None else CLI_ACTOR,
        action=action,
        target_user_id=target.id if target is not None else None,
        target=target.email if target is not None else "",
        detail=str(detail)[:300],
    )
    db.session.add(entry)
    return entry


def audit_log(user=None, limit=50, *, in_scope=None):
    """The latest entries, newest first; only those about `user` when given, and only about accounts
    matching `in_scope` (a where-clause on User, e.g. a tenant filter) when given."""
    query = db.select(AdminAuditEntry).order_by(AdminAuditEntry.created_at.desc(), AdminAuditEntry.id.desc())
    if user is not None:
        query = query.where(AdminAuditEntry.target_user_id == user.id)
    if in_scope is not None:
        query = query.where(AdminAuditEntry.target_user_id.in_(db.select(User.id).where(in_scope)))
    return db.session.execute(query.limit(limit)).scalars().all()


def generated_password(email=""):
    """A password to show once: 16 URL-safe characters (96 random bits), one the password rules accept."""
    while True:
        password = secrets.token_urlsafe(12)
        if password_problem(password, email) is None:
            return password


@dataclass
class UserRow:
    user: User
    events: list  # the events an operator is assigned to, by title
    active_tokens: int


def list_users(in_scope=None):
    """Every account (matching `in_scope`, a where-clause on User, when given) with its events and its
    number of live API tokens: three queries."""
    query = db.select(User).order_by(User.role, User.email)
    if in_scope is not None:
        query = query.where(in_scope)
    users = db.session.execute(query).scalars().all()
    assignments = db.session.execute(
        db.select(EventOperator.user_id, Event).join(Event, Event.id == EventOperator.event_id).order_by(Event.title)
    ).all()
    tokens: dict[int, int] = dict(db.session.execute(
        db.select(ApiToken.user_id, func.count()).where(ApiToken.revoked_at.is_(None)).group_by(ApiToken.user_id)
    ).tuples().all())
    events: dict[int, list[Event]] = {}
    for user_id, event in assignments:
        events.setdefault(user_id, []).append(event)
    return [UserRow(user, events.get(user.id, []), tokens.get(user.id, 0)) for user in users]


def find_user_by_id(user_id):
    return db.session.get(User, user_id)


def user_events(user):
    return db.session.execute(
        db.select(Event).join(EventOperator, EventOperator.event_id == Event.id)
        .where(EventOperator.user_id == user.id).order_by(Event.title)
    ).scalars().all()


def user_tokens(user):
    """The user's API tokens, live ones first, newest first: name, created, last used, revoked."""
    return db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).scalars().all()


TENANT_ROLES = (ROLE_OPERATOR, ROLE_COMMITTEE)  # assigned to events, and every event is a tenant's
INSTALL_WIDE_ROLES = (ROLE_ADMIN, ROLE_OBSERVER)  # may span every tenant, when chosen on purpose
SCOPE_REFUSALS = ("tenant_required", "tenant_or_all", "install_admin_only", "works_elsewhere")


def check_scope(role, tenant, install_wide, actor):
    """Refuse an account of `role` without a tenant unless that is meant and allowed.

    An operator or a committee member works on events of one tenant: they need it. An admin or a
    pengamat without one sees every tenant (the install administrator, the national programme's
    overview): only when chosen on purpose (`install_wide`), and only by the install administrator
    or the command line (actor None)."""
    if role not in ROLES:
        raise AccountRefused("role_unknown")
    if tenant is not None:
        return
    if role in TENANT_ROLES:
        raise AccountRefused("tenant_required")
    if not install_wide:
        raise AccountRefused("tenant_or_all")
    if actor is not None and not actor.is_install_admin:
        raise AccountRefused("install_admin_only")


def invite_user(email, role, actor, *, name="", password=None, tenant=None, install_wide=False):
    """Create an account of `tenant` (a Tenant), or of every tenant when `install_wide` (check_scope);
    returns (user, the password to show once: generated unless given)."""
    check_scope(role, tenant, install_wide, actor)
    try:
        email = clean_email(email)
    except InvalidValue:
        raise AccountRefused("email_invalid") from None
    password = password or generated_password(email)
    try:
        user = create_user(email, password, role, name=name.strip(), tenant=tenant)
    except PasswordRefused as refused:
        raise AccountRefused("password_refused", refused.code) from None
    except AccountError:  # checked above, what is left is the unique e-mail the database keeps
        raise AccountRefused("exists") from None
    record(actor, "user_created", user, role)
    return user, password


def _other_active_admins(user, *, install_wide=False):
    """How many other active admins there are (only those of no tenant, with `install_wide`)."""
    query = (db.select(func.count()).select_from(User)
             .where(User.role == ROLE_ADMIN, User.active.is_(True), User.id != user.id))
    if install_wide:
        query = query.where(User.tenant_id.is_(None))
    return db.session.execute(query).scalar_one()


def _lock_admins():
    """Serialise changes that could leave nobody able to administer (the same no-op UPDATE trick as
    registration: a row lock on PostgreSQL, the database's write lock on SQLite)."""
    db.session.execute(update(User).where(User.role == ROLE_ADMIN).values(role=User.role))


def _keep_an_admin(user, actor):
    """Refuse to take away the last active admin, or an admin's own access from the web."""
    if actor is not None and actor.id == user.id:
        raise AccountRefused("not_yourself")
    if user.role == ROLE_ADMIN and user.active:
        _lock_admins()
        if _other_active_admins(user) == 0:
            raise AccountRefused("last_admin")
        # Tenants are made and given admins by an admin of no tenant: one must stay.
        if user.tenant_id is None and _other_active_admins(user, install_wide=True) == 0:
            raise AccountRefused("last_install_admin")


def set_active(user, active, actor):
    """Deactivate (active=False) or reactivate a user. Returns False if nothing changed."""
    if user.active == active:
        return False
    if not active:
        _keep_an_admin(user, actor)
    auth.set_active(user, active)  # deactivation ends every session of the user
    record(actor, "reactivated" if active else "deactivated", user)
    return True


def change_role(user, role, actor, *, tenant=None, install_wide=False):
    """Give `user` another role. An account of a tenant keeps it; one without a tenant takes `tenant`,
    or stays without one only when `install_wide` (check_scope). Returns False if nothing changed."""
    if user.tenant_id is not None:
        tenant = user.tenant
    new_tenant_id = tenant.id if tenant is not None else None
    changes = user.role != role or user.tenant_id != new_tenant_id
    if changes and actor is not None and actor.id == user.id:
        raise AccountRefused("not_yourself")
    check_scope(role, tenant, install_wide, actor)
    if not changes:
        return False
    if user.role == ROLE_ADMIN:
        _keep_an_admin(user, actor)
    if new_tenant_id != user.tenant_id:
        _join_tenant(user, tenant, actor)
    if user.role != role:
        before = user.role
        auth.change_role(user, role)  # ends every session of the user
        record(actor, "role_changed", user, f"{before} → {role}")
    return True


def _join_tenant(user, tenant, actor):
    """Give an account without a tenant its tenant: refused while it works on another tenant's event."""
    for event in user_events(user):
        if event.tenant_id != tenant.id:
            raise AccountRefused("works_elsewhere", event.title)
    user.tenant_id = tenant.id
    auth.end_sessions(user)  # a session must not keep the wider standing
    record(actor, "tenant_set", user, tenant.slug)


def _set_password(user, password):
    """The password rules, the new hash and the end of every session of `user` (app/auth/services.py)."""
    try:
        auth.set_password(user, password)
    except PasswordRefused as refused:
        raise AccountRefused("password_refused", refused.code) from None


def reset_password(user, actor):
    """Give `user` a new generated password and end their sessions; returns it, to be shown once."""
    password = generated_password(user.email)
    _set_password(user, password)
    record(actor, "password_reset", user)
    return password


def set_password(user, password, actor):
    """Set `user`'s password to the one given (the CLI's set-password); their sessions end."""
    _set_password(user, password)
    record(actor, "password_set", user)


def change_own_password(user, current, new):
    """The signed-in user changes their own password, knowing the current one.

    Every session of the user ends, this one included: the caller signs this device in again
    (login_user) so that only the others are signed out.
    """
    if not user.check_password(current or ""):
        raise AccountRefused("wrong_password")
    _set_password(user, new)
    record(user, "password_changed", user)


def assign(user, event, actor):
    """Let `user` check people in for `event`. Returns False if they already could; refuses an event of
    another tenant than the user's."""
    try:
        added = assign_operator(user, event)
    except ValueError:
        raise AccountRefused("other_tenant", event.title) from None
    if added:
        record(actor, "operator_assigned", user, event.slug)
    return added


def unassign(user, event, actor):
    """Take `user` off `event`. Returns False if they were not on it. Within CHECKIN_CACHE_SECONDS the
    API's memo of the assignment (app/tenants/operators.py) expires in every process."""
    removed = cast(CursorResult, db.session.execute(  # a DELETE's result is a CursorResult
        db.delete(EventOperator).where(EventOperator.user_id == user.id, EventOperator.event_id == event.id)
    )).rowcount
    if removed:
        record(actor, "operator_unassigned", user, event.slug)
    return bool(removed)


def _revoke(tokens, actor):
    now = utcnow()
    for token in tokens:
        token.revoked_at = now
        record(actor, "token_revoked", token.user, token.name or f"#{token.id}")
    # The memo of app/auth/services.py keeps a token for CHECKIN_CACHE_SECONDS at most, in every
    # process; nothing here can reach the other processes, so that is the bound for all of them.
    return len(tokens)


def revoke_token(user, token_id, actor):
    """Revoke one live token of `user`. Returns False if there is no such live token."""
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).scalar_one_or_none()
    return _revoke([token], actor) == 1 if token is not None else False


def revoke_tokens(user, actor, name=None):
    """Revoke every live token of `user` (only those called `name` when given). Returns how many."""
    query = db.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if name is not None:
        query = query.where(ApiToken.name == name)
    return _revoke(db.session.execute(query).scalars().all(), actor)


def user_by_email(email):
    user = find_user(email)
    if user is None:
        raise AccountRefused("no_user", email)
    return user

