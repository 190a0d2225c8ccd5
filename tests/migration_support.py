"""For the migration tests: the 0003 schema filled as the demo looked then, and raw SQL on the blank app."""
from datetime import datetime

from sqlalchemy import text

from app.extensions import db

BEFORE = "0003_scan_log_indexes"


CONSENT = datetime(2022, 6, 1, 2, 0)


INVENTED = datetime(2022, 6, 5, 3, 0)


def run(sql, **params):
    with db.engine.begin() as connection:
        return connection.execute(text(sql), params)


def fill_the_0003_schema():
    """The demo's shape as 0003 knew it: one event, two days, two OPDs, a form and an import
    registration, an attendance, a scan, an admin and an operator assigned to the event."""
    now = datetime(2022, 6, 1, 0, 0)
    run("INSERT INTO events (id, slug, title, organizer_name, venue, description, timezone, created_at) "
        "VALUES (1, 'bimtek', 'Bimtek', 'Diskominfo', 'Hotel', '', 'Asia/Jakarta', :now)", now=now)
    run("INSERT INTO event_days (id, event_id, date) VALUES (1, 1, '2022-06-13'), (2, 1, '2022-06-14')")
    run("INSERT INTO organizations (id, short_name, name, kind) VALUES (1, 'Bappeda', 'Bappeda Kota Serang', 'badan'),"
        " (2, 'Diskominfo', 'Dinas Komunikasi dan Informatika', 'dinas')")
    run("INSERT INTO event_organizations (id, event_id, organization_id, quota) VALUES (1, 1, 1, 3), (2, 1, 2, 3)")
    for id_, source, consented, email in ((1, "form", CONSENT, "a@x.go.id"), (2, "import", INVENTED, "b@x.go.id")):
        run("INSERT INTO registrations (id, event_id, organization_id, full_name, nip, position, phone, email, status,"
            " ticket_token, consented_at, source, created_at, updated_at) VALUES (:id, 1, :org, :name, NULL, 'Analis',"
            " '+6281200000000', :email, 'registered', :token, :consented, :source, :now, :now)",
            id=id_, org=id_, name=f"Peserta {id_}", email=email, token=f"token-{id_}", consented=consented,
            source=source, now=now)
    run("INSERT INTO users (id, email, name, password_hash, role, active, created_at) VALUES "
        "(1, 'admin@x.go.id', '', 'x', 'admin', :yes, :now), (2, 'op@x.go.id', '', 'x', 'operator', :yes, :now)",
        yes=True, now=now)
    run("INSERT INTO event_operators (id, event_id, user_id, created_at) VALUES (1, 1, 2, :now)", now=now)
    run("INSERT INTO attendances (id, event_id, registration_id, event_day_id, checked_in_at, method, created_at) "
        "VALUES (1, 1, 1, 1, :now, 'scanner', :now)", now=now)
    run("INSERT INTO scan_logs (id, event_id, registration_id, result, created_at) "
        "VALUES (1, 1, 1, 'checked_in', :now)", now=now)
