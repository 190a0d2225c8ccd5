"""Account commands: list-users, change-role, deactivate-user, reactivate-user, revoke-tokens,
set-password, unassign-operator. Each is a thin layer over app/accounts/services.py, and each change goes to the
admin audit log with the actor "cli"."""
import click
from flask import current_app

from app.accounts import services
from app.accounts.messages import account_message
from app.command_input import read_password
from app.events.lookup import find_event
from app.extensions import db
from app.tenants.cli import tenant_or_fail


def _fail(refusal):
    with current_app.test_request_context():  # the messages are translated, in Indonesian by default
        raise click.ClickException(account_message(refusal)) from None


SCOPE_HINTS = {
    "tenant_required": "--tenant SLUG",
    "tenant_or_all": "--tenant SLUG, or --all-tenants for every tenant",
    "works_elsewhere": "flask unassign-operator EMAIL SLUG",
}


def fail_scope(refusal):
    """A refused tenant choice, with the option that answers it."""
    hint = SCOPE_HINTS.get(refusal.code)
    with current_app.test_request_context():
        message = account_message(refusal)
    raise click.ClickException(f"{message} ({hint})" if hint else message) from None


def _user(email):
    try:
        return services.user_by_email(email)
    except services.AccountRefused as refusal:
        _fail(refusal)


@click.command("list-users")
def list_users_command():
    """List every committee account: e-mail, role, active or not, the events of an operator, live API tokens."""
    for row in services.list_users():
        user = row.user
        events = ", ".join(event.slug for event in row.events) or "-"
        state = "active" if user.active else "DEACTIVATED"
        click.echo(f"{user.email}\t{user.role}\t{state}\tevents: {events}\ttokens: {row.active_tokens}")


@click.command("change-role")
@click.argument("email")
@click.argument("role", type=click.Choice(services.ROLES))
@click.option("--tenant", "tenant_slug", default=None, metavar="SLUG",
              help="For an account without a tenant: the tenant it joins (one with a tenant keeps it).")
@click.option("--all-tenants", "install_wide", is_flag=True,
              help="Keep an account without a tenant so: an admin or pengamat of every tenant.")
def change_role_command(email, role, tenant_slug, install_wide):
    """Give the user EMAIL the role ROLE; their sessions end.

    An operator or committee member needs a tenant; an admin or pengamat too, unless --all-tenants.
    """

    user = _user(email)
    tenant = tenant_or_fail(tenant_slug) if tenant_slug else None
    try:
        changed = services.change_role(user, role, None, tenant=tenant, install_wide=install_wide)
    except services.AccountRefused as refusal:
        if refusal.code in services.SCOPE_REFUSALS:
            fail_scope(refusal)
        _fail(refusal)
    db.session.commit()
    where = f" of {user.tenant.slug}" if user.tenant_id is not None else " of every tenant"
    click.echo(f"{user.email} {'is now' if changed else 'already was'} {user.role}{where}")


@click.command("deactivate-user")
@click.argument("email")
def deactivate_user_command(email):
    """Stop the user EMAIL from signing in; their API tokens stop working within CHECKIN_CACHE_SECONDS."""
    user = _user(email)
    try:
        changed = services.set_active(user, False, None)
    except services.AccountRefused as refusal:
        _fail(refusal)
    db.session.commit()
    click.echo(f"{user.email} {'deactivated' if changed else 'was already deactivated'}")


@click.command("reactivate-user")
@click.argument("email")
def reactivate_user_command(email):
    """Let the deactivated user EMAIL sign in again (their revoked tokens stay revoked)."""
    user = _user(email)
    changed = services.set_active(user, True, None)
    db.session.commit()
    click.echo(f"{user.email} {'reactivated' if changed else 'was already active'}")


@click.command("revoke-tokens")
@click.argument("email")
@click.option("--name", default=None, help="Only the tokens with this name (see create-token --name; a check-in "
              "desk's device token is called \"Meja check-in: <desk name>\").")
def revoke_tokens_command(email, name):
    """Revoke the API tokens of the user EMAIL; refused everywhere within CHECKIN_CACHE_SECONDS."""
    user = _user(email)
    count = services.revoke_tokens(user, None, name=name)
    db.session.commit()
    click.echo(f"Revoked {count} token(s) of {user.email}")


@click.command("set-password")
@click.argument("email")
def set_password_command(email):
    """Set the password of the user EMAIL, read from a prompt, or from stdin when piped; their sessions end.

    The password: at least 10 characters, not only digits, not the e-mail, not a common password.
    """
    user = _user(email)
    try:
        services.set_password(user, read_password(), None)
    except services.AccountRefused as refusal:
        _fail(refusal)
    db.session.commit()
    click.echo(f"Password of {user.email} changed")


@click.command("unassign-operator")
@click.argument("email")
@click.argument("slug")
def unassign_operator_command(email, slug):
    """Take the user EMAIL off the event SLUG: refused at its desks within CHECKIN_CACHE_SECONDS."""
    user = _user(email)
    event = find_event(slug)
    if event is None:
        raise click.ClickException(f"no event with slug {slug}")
    removed = services.unassign(user, event, None)
    db.session.commit()
    click.echo(f"{user.email} {'no longer works on' if removed else 'was not assigned to'} {event.slug}")


ACCOUNT_COMMANDS = [
    list_users_command, change_role_command, deactivate_user_command, reactivate_user_command, revoke_tokens_command,
    set_password_command, unassign_operator_command,
]
