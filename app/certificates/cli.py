"""Certificate and badge commands (flask --help lists them); thin layers over the services."""
import contextlib
import os

import click
from flask import current_app

from app.certificates.badges import badges_for, mark_printed, write_badges_pdf
from app.certificates.documents import certificates_zip_chunks
from app.certificates.issuing import NumberTaken, event_over, issue_certificates, would_issue
from app.certificates.ledger import build_ledger_workbook, jp_ledger
from app.certificates.numbering import PatternError
from app.events.lookup import find_event
from app.extensions import db
from app.models import utcnow
from app.registration.services import event_organizations


def _event_or_fail(slug):
    event = find_event(slug)
    if event is None:
        raise click.ClickException(f"no event with slug {slug}")
    return event


def _base_url(given):
    base = given or current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        raise click.ClickException("set PUBLIC_BASE_URL (or pass --base-url): the QR codes link to it")
    if not base.startswith(("https://", "http://")):
        raise click.ClickException("the base URL must start with https:// or http://")
    return base.rstrip("/")


@click.command("issue-certificates")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Also write every certificate in force to this ZIP file (Nomor - Nama.pdf each).")
@click.option("--base-url", default="", help="Where the QR codes point (default: PUBLIC_BASE_URL).")
@click.option("--before-end", is_flag=True,
              help="Issue although the event's last day has not ended yet (without it, the command lists who "
                   "would get what and stops).")
def issue_certificates_command(slug, output, base_url, before_end):
    """Issue certificates to every eligible participant of SLUG who has none yet.

    Running it again adds only the newly eligible; numbers are never reused or changed. Before the
    last day has ended, it needs --before-end.
    """
    event = _event_or_fail(slug)
    base = _base_url(base_url) if output else None
    if not event_over(event) and not before_end:
        waiting = would_issue(event)
        if waiting:
            for person in waiting:
                click.echo(f"{person.full_name}\t{person.organization_name}\tpresent {person.days_present} of "
                           f"{person.days_total} day(s)\t{person.dates}\t{person.jp} JP")
            raise click.ClickException(
                f"{event.slug} has not ended (its last day, {event.days[-1].date:%Y-%m-%d}, is not over): "
                f"{len(waiting)} participant(s) listed above would get a certificate now. Numbers are permanent "
                f"(never reused or changed; the JP goes into the JP ledger). Run again with --before-end to "
                f"issue them anyway.")
    try:
        issued = issue_certificates(event)
    except PatternError as error:
        raise click.ClickException(f"the numbering pattern cannot be used ({error.code})") from None
    except NumberTaken as refusal:
        taken = refusal.collision
        raise click.ClickException(f"number {taken.number} is already another event's: change the numbering "
                                   f"pattern, or start its sequence at {taken.next_seq}") from None
    db.session.commit()
    click.echo(f"Issued {len(issued)} new certificate(s) for {event.slug}")
    if output:
        with open(output, "wb") as out, click.progressbar(length=0, label="Writing certificates") as bar:
            chunks = certificates_zip_chunks(event, base, on_progress=lambda done, total: bar.update(1))
            bar.length = chunks.total
            for chunk in chunks:
                out.write(chunk)
        click.echo(f"Wrote {output}")


@click.command("jp-ledger")
@click.option("--year", type=click.IntRange(2000, 2100),
              help="Only certificates of events held in this year (their first day).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write the ledger to this .xlsx file instead of printing it.")
def jp_ledger_command(year, output):
    """Print (or write to an .xlsx) every certificate's JP per NIP, or per e-mail for non-ASN, with yearly totals."""
    people = jp_ledger(year)
    if output:
        with open(output, "wb") as out:
            build_ledger_workbook(people, out, year=year)
        click.echo(f"Wrote {output}: {len(people)} people")
        return
    for person in people:
        totals = ", ".join(f"{person_year}: {total} JP" for person_year, total in person.totals.items())
        click.echo(f"{person.key}\t{person.full_name}\t{person.organization}\t{totals}")
        for line in person.lines:
            click.echo(f"\t{line.issued_on:%Y-%m-%d}\t{line.number}\t{line.jp} JP\t{line.event_title}")


@click.command("print-badges")
@click.argument("slug")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The PDF to write: A4 sheets of 2 × 4 badges of 90 × 55 mm, with cut marks.")
@click.option("--opd", default="", help="Only the participants of this OPD (short or full name).")
@click.option("--not-printed", is_flag=True, help="Only those whose badge has not been printed yet.")
def print_badges_command(slug, output, opd, not_printed):
    """Write name badges of the active participants of SLUG (with their ticket QR); once the file is
    written, mark them printed."""
    event = _event_or_fail(slug)
    organization_id = None
    if opd:
        wanted = opd.strip().lower()
        found = [o for _eo, o in event_organizations(event) if wanted in (o.short_name.lower(), o.name.lower())]
        if not found:
            raise click.ClickException(f"no OPD {opd} in {event.slug}")
        organization_id = found[0].id
    ids, badges = badges_for(event, organization_id=organization_id, not_printed=not_printed)
    # Written beside OUTPUT and moved into place whole: a failed write leaves no half PDF and marks nothing.
    partial = f"{output}.part"
    try:
        with open(partial, "wb") as out:
            write_badges_pdf(badges, out, event_title=event.title)
        os.replace(partial, output)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.remove(partial)
        reason = error.strerror or error
        raise click.ClickException(f"could not write {output}: {reason}; no badge marked printed") from None
    mark_printed(ids, utcnow())
    db.session.commit()
    click.echo(f"Wrote {output}: {len(badges)} badge(s)")


COMMANDS = [issue_certificates_command, jp_ledger_command, print_badges_command]
