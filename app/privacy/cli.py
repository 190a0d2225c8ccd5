"""flask purge-personal-data: blank what is past retention (run it daily from cron)."""
import click

from app.extensions import db
from app.privacy.services import purge_personal_data, scrub_storage


@click.command("purge-personal-data")
@click.option("--dry-run", is_flag=True, help="Print what would be blanked and change nothing.")
def purge_personal_data_command(dry_run):
    """Blank NIP, phone and e-mail of registrations past their event's retention period.

    Keeps names, positions, OPDs and attendance (the archived daftar hadir, the aggregates and
    certificate verification need them) and deletes access-log rows past their period; then empties
    SQLite's WAL or VACUUMs PostgreSQL's tables touched, so that the old values leave the files. Safe
    to run daily from cron: a second run finds nothing to do.
    """
    report = purge_personal_data(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        # Blanked rows leave old versions behind (SQLite's WAL, PostgreSQL's dead tuples): clear them.
        if not scrub_storage():
            click.echo("The old row versions could not be cleared now (SQLite: a reader held the WAL; "
                       "PostgreSQL: see the log); the next run tries again.", err=True)
    verb = "would blank" if dry_run else "blanked"
    for slug, end, count in report.events:
        click.echo(f"{slug}: {verb} NIP, phone and e-mail of {count} registration(s) (retention ended {end})")
    click.echo(f"{'Dry run: ' if dry_run else ''}{report.registrations} registration(s) "
               f"{'would be blanked' if dry_run else 'blanked'} in "
               f"{len(report.events)} event(s); {report.access_log_rows} access-log row(s) "
               f"{'would be ' if dry_run else ''}deleted")


COMMANDS = [purge_personal_data_command]
