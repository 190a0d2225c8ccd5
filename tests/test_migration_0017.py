"""Migration 0017_agenda_jp WITH data, on SQLite and PostgreSQL: existing agenda items are counted for
JP or not by their title, and nothing else of the agenda changes."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = "0013_certificate_snapshot"
TITLES = {
    1: ("Registrasi peserta", False),
    2: ("Pembukaan dan sambutan Wali Kota", False),
    3: ("Kebijakan Smart City", True),
    4: ("ISHOMA", False),
    5: ("Coffee break", False),
    6: ("Rencana tindak lanjut dan penutupan", False),
    7: ("Analisis kesiapan daerah (doa bersama sesudahnya)", False),
    8: ("Studi kasus Kabupaten Sidoarjo", True),  # "doa" inside a word is not a prayer
    9: ("Dokumentasi dan adopsi", True),
}


def test_0017_decides_existing_items_by_title_and_goes_back(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    for item_id, (title, _counted) in TITLES.items():
        run("INSERT INTO agenda_items (id, event_id, event_day_id, starts_at, ends_at, title, speaker, description)"
            " VALUES (:id, 1, 1, '2022-06-13 01:00:00', '2022-06-13 02:00:00', :title, 'Panitia', '')",
            id=item_id, title=title)

    upgrade()
    rows = run("SELECT id, title, counts_for_jp FROM agenda_items ORDER BY id").all()
    assert {item_id: (title, bool(counted)) for item_id, title, counted in rows} == TITLES
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
    # A row written without the column (raw SQL, an old script) is counted, as before.
    run("INSERT INTO agenda_items (id, event_id, event_day_id, starts_at, title, speaker, description)"
        " VALUES (10, 1, 2, '2022-06-14 01:00:00', 'Sesi baru', '', '')")
    assert bool(run("SELECT counts_for_jp FROM agenda_items WHERE id = 10").scalar_one())

    downgrade(revision=BEFORE)
    assert run("SELECT count(*) FROM agenda_items").scalar_one() == 10
    upgrade()
    assert run("SELECT count(*) FROM agenda_items WHERE counts_for_jp = :no", no=False).scalar_one() == 6
