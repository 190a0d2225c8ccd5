"""Tenant commands: flask create-tenant (and the tenant lookup the other commands share)."""
import click

from app.command_input import normalized_name
from app.extensions import db
from app.models.tenant import MAX_RETENTION_DAYS
from app.tenants.services import TenantRefused, create_tenant, find_tenant


def tenant_or_fail(slug):
    tenant = find_tenant(slug)
    if tenant is None:
        raise click.ClickException(f"no tenant with slug {slug} (flask create-tenant SLUG NAME)")
    return tenant


@click.command("create-tenant")
@click.argument("slug")
@click.argument("name")
@click.option("--short-name", default="", help="e.g. Kota Serang (default: the name).")
@click.option("--letterhead", default=None, help="Letterhead lines for documents, separated by '|'.")
@click.option("--privacy-contact", default=None, help="Whom participants contact about their data (privacy notice).")
@click.option("--retention-days", type=click.IntRange(0, MAX_RETENTION_DAYS), default=None,
              help=f"Days after an event's last day before its personal data is blanked, 0 to {MAX_RETENTION_DAYS} "
                   "(default 730).")
def create_tenant_command(slug, name, short_name, letterhead, privacy_contact, retention_days):
    """Create the tenant SLUG (the organising government or agency) named NAME.

    Run again on an existing SLUG to change its name and the options given.
    """
    name, short_name = normalized_name(name, "NAME"), normalized_name(short_name, "--short-name")
    try:
        tenant, created = create_tenant(slug, name, short_name)
    except TenantRefused as error:
        raise click.ClickException(str(error)) from None
    if letterhead is not None:
        tenant.letterhead = "\n".join(normalized_name(line, "--letterhead") for line in letterhead.split("|"))
    if privacy_contact is not None:
        tenant.privacy_contact = normalized_name(privacy_contact, "--privacy-contact")
    if retention_days is not None:
        tenant.retention_days = retention_days
    db.session.commit()
    click.echo(f"{'Created' if created else 'Updated'} tenant {tenant.slug}: {tenant.name}")


COMMANDS = [create_tenant_command]
