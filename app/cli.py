"""Command-line tools (flask --help lists them). Each is a thin layer over a service."""
import click
from flask import current_app

from app.accounts.cli import fail_scope
from app.accounts.services import AccountRefused, check_scope, record
from app.auth.passwords import password_message
from app.auth.services import AccountError, PasswordRefused, create_user, find_user, issue_api_token
from app.command_input import normalized_name, read_password
from app.demo.seed import DemoRefused, seed_demo
from app.events.copying import CopyRefused, copy_event
from app.events.lookup import find_event
from app.events.services import OrganizationRefused
from app.exports.data import attendance_data, export_file_name
from app.exports.workbook import build_attendance_workbook
from app.extensions import db
from app.imports.files import read_participant_file
from app.imports.messages import describe
from app.imports.reader import UnreadableFile
from app.imports.services import ImportRefused, import_participants
from app.models import ROLES
from app.tenants.cli import tenant_or_fail
from app.tenants.operators import assign_operator


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Add the demo even though the database holds other events or accounts.")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the app is served: the addresses printed at the end start with it.")
def seed_demo_command(force, base_url):
    """Load the demo: the reference Bimtek of Kota Serang as it happened (13–14 June 2022) and its
    "Tahap 2", running today and tomorrow (Asia/Jakarta), with fictitious participants.

    Running it again adds nothing: it moves Tahap 2 to today and tomorrow when its days have passed, and
    (except with HADIR_ENV=production, which never has one) gives the demo committee account a new
    password, printed once. It refuses a database that holds anything but the demo, unless --force.
    """

    try:
        seeded = seed_demo(force=force)
    except DemoRefused as refusal:
        raise click.ClickException(
            f"this database holds more than the demo ({refusal.detail}): nothing loaded. "
            "Run `flask seed-demo --force` to add the demo anyway."
        ) from None
    except OrganizationRefused as refusal:
        raise click.ClickException(f"an OPD row has no visible {refusal.field} ({refusal.code})") from None
    db.session.commit()
    past, live = seeded.past, seeded.live
    click.echo(f"{'Created' if seeded.created else 'Already there'}: {past.title} → /e/{past.slug}")
    if seeded.moved_days:
        click.echo(f"Moved {live.slug} by {seeded.moved_days} day(s): it runs today and tomorrow.")
    base = base_url.rstrip("/")
    click.echo(f"""
Hadir demo — {live.title}, {live.days[0].date:%d/%m/%Y}–{live.days[-1].date:%d/%m/%Y}
  1. Register on the public page:  {base}/e/{live.slug}
  2. Check in at the station:      {base}/e/{live.slug}/checkin
  3. Watch the console:            {base}/admin/acara/{live.slug}
  The finished event (June 2022):  {base}/admin/acara/{past.slug}""")
    if seeded.password:
        click.echo(f"  Committee account (demo only, a new password on every start): {seeded.account}"
                   f" / {seeded.password}")
    else:
        click.echo("  No demo account in production: create one with `flask create-user EMAIL --role admin`.")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="admin: every event of --tenant; committee: the console of its --event(s); operator: "
                   "check-in at its --event(s); pengamat: the programme overview of --tenant.")
@click.option("--name", default="", help="Display name.")
@click.option("--tenant", "tenant_slug", default=None, metavar="SLUG",
              help="The tenant the account belongs to (flask create-tenant); default: that of its --event(s).")
@click.option("--all-tenants", "install_wide", is_flag=True,
              help="An admin or pengamat of every tenant: the install administrator, the national overview.")
@click.option("--event", "events", multiple=True, metavar="SLUG",
              help="An event this committee member or operator works on (repeatable).")
def create_user_command(email, role, name, tenant_slug, install_wide, events):
    """Create an account. The password is read from a prompt, or from stdin when piped.

    An operator or committee member needs a tenant (--tenant, or that of its --event); an admin or
    pengamat needs one too, unless --all-tenants. The password: at least 10 characters, not only
    digits, not the e-mail, not a common password.
    """

    found = [_event_or_fail(slug) for slug in events]
    tenant = tenant_or_fail(tenant_slug) if tenant_slug else _tenant_of(found)
    if tenant is not None and any(event.tenant_id != tenant.id for event in found):
        raise click.ClickException(f"every --event must belong to the tenant {tenant.slug}")
    try:
        check_scope(role, tenant, install_wide, None)
    except AccountRefused as refusal:
        fail_scope(refusal)
    try:
        user = create_user(email, read_password(), role, name=normalized_name(name), tenant=tenant)
    except PasswordRefused as error:
        raise click.ClickException(password_message(error.code)) from None
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    record(None, "user_created", user, role)
    for event in found:
        if assign_operator(user, event):
            record(None, "operator_assigned", user, event.slug)
    db.session.commit()
    where = f" of {tenant.slug}" if tenant else " of every tenant"
    assignments = "".join(f", {user.role} of {event.slug}" for event in found)
    click.echo(f"Created {user.role}{where} {user.email}{assignments}")


def _tenant_of(events):
    """The one tenant of these events, or None when there are none; several is a mistake."""
    tenants = {event.tenant for event in events}
    if len(tenants) > 1:
        raise click.ClickException("the --event(s) belong to several tenants: give one --tenant")
    return next(iter(tenants), None)


def _event_or_fail(slug):
    event = find_event(slug)
    if event is None:
        raise click.ClickException(f"no event with slug {slug}")
    return event


@click.command("assign-operator")
@click.argument("email")
@click.argument("slug")
def assign_operator_command(email, slug):
    """Let the user EMAIL check people in for the event SLUG."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    event = _event_or_fail(slug)
    try:
        added = assign_operator(user, event)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if added:
        record(None, "operator_assigned", user, event.slug)
    db.session.commit()
    click.echo(f"{user.email} {'may now check people in for' if added else 'already works on'} {event.slug}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. the scanner's desk.")
def create_token_command(email, name):
    """Print a new API token for the user EMAIL (for scanner devices and scripts). It is shown only once."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    secret = issue_api_token(user, name)
    db.session.commit()
    click.echo(secret)


@click.command("import-participants")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_participants_command(slug, path):
    """Register everyone listed in the .xlsx or .csv file PATH for the event SLUG, or nobody if a row is bad.

    Column headings as OPDs write them (Nama, NIP, Jabatan, Pangkat/Golongan, Unit Kerja/OPD, No HP/WA,
    E-mail …: app/imports/headers.py) or the keys full_name, nip, position, rank, organization, phone, email,
    under title lines if any. A row needs a name and an OPD. A .csv may be UTF-8 or Windows-1252,
    separated by commas or semicolons.
    """

    event = _event_or_fail(slug)
    try:
        with open(path, "rb") as stream:
            rows = read_participant_file(stream, path)
            if rows.ignored_columns:
                click.echo(f"ignored columns: {', '.join(rows.ignored_columns)}", err=True)
            count = import_participants(event, rows)
    except UnreadableFile as error:
        with current_app.test_request_context():  # the messages are translated, in Indonesian by default
            raise click.ClickException(describe(error.code, error.detail)) from None
    except ImportRefused as refusal:
        with current_app.test_request_context():
            for problem in refusal.problems:
                where = f"row {problem.row}" + (f", {problem.field}" if problem.field else "")
                click.echo(f"{where}: {describe(problem.code, problem.detail)}", err=True)
        raise click.ClickException(f"nothing imported: {len(refusal.problems)} problem(s)") from None
    db.session.commit()
    click.echo(f"Imported {count} participants into {event.slug}")


@click.command("export-attendance")
@click.argument("slug")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Where to write the workbook (default: daftar-hadir-SLUG.xlsx).")
def export_attendance_command(slug, output):
    """Write the attendance workbook of the event SLUG: a daftar hadir per day, Rekap per OPD, Peserta."""

    event = _event_or_fail(slug)
    output = output or export_file_name(event)
    with open(output, "wb") as stream:
        build_attendance_workbook(attendance_data(event), stream)
    click.echo(f"Wrote {output}")


COPY_REFUSALS = {
    "slug_invalid": "NEW_SLUG: lower-case letters, digits and single hyphens only (at most 80 characters)",
    "slug_taken": "NEW_SLUG is already the address of another event",
    "no_days": "the event SLUG has no days to move",
}


@click.command("copy-event")
@click.argument("slug")
@click.argument("new_slug")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, metavar="YYYY-MM-DD",
              help="The first day of the copy; the other days and the agenda keep their distance from it.")
def copy_event_command(slug, new_slug, start):
    """Make a new event NEW_SLUG from the event SLUG ("Salin acara").

    Copied: title, organiser, venue, agenda (moved to the new dates), OPDs and quotas, evaluation forms
    and questions, message templates, certificate settings (numbers start again at 1, the signature is
    kept) and the materials (the same stored files). Not copied: participants, attendance, answers,
    certificates, messages, operators.
    """

    source = _event_or_fail(slug)
    try:
        copy = copy_event(source, slug=new_slug, start=start.date())
    except CopyRefused as refusal:
        raise click.ClickException(COPY_REFUSALS[refusal.code]) from None
    db.session.commit()
    days = ", ".join(day.date.isoformat() for day in copy.days)
    click.echo(f"Copied {source.slug} to {copy.slug} ({days}): /admin/acara/{copy.slug}")


COMMANDS = [
    copy_event_command, seed_demo_command, create_user_command, create_token_command, assign_operator_command,
    import_participants_command, export_attendance_command,
]
