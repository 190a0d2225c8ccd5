"""Migration 0013_certificate_snapshot WITH data, on SQLite and PostgreSQL: existing certificates get the
values their PDF showed until now (registration's NIP and role, the settings' signer, place and date)."""
from datetime import date

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db
from tests.migration_support import fill_the_0003_schema, run

BEFORE = "0009"


def test_0013_fills_the_snapshot_from_current_values_and_goes_back(blank_app):  # noqa: F811
    upgrade(revision="0003_scan_log_indexes")
    fill_the_0003_schema()
    upgrade(revision=BEFORE)
    run("UPDATE registrations SET nip = '198501012010012001', role = 'narasumber' WHERE id = 1")
    run("INSERT INTO certificate_settings (id, event_id, jp_rounding, require_evaluation, number_pattern, signer_name,"
        " signer_nip, signer_position, layout, issue_place, issue_date, updated_at) VALUES (1, 1, 'down', :no,"
        " '{seq:03d}/SERT/{year}', 'H. Ahmad', '197001011995031001', 'Kepala Dinas', '', 'Serang', NULL,"
        " '2022-06-14 00:00:00')", no=False)
    for id_, registration_id, issued_at in ((1, 1, "2022-06-14 18:00:00"), (2, 2, "2022-06-14 03:00:00")):
        run("INSERT INTO certificates (id, event_id, registration_id, seq, number, code, full_name,"
            " organization_name, jp, issued_at, revoke_reason) VALUES (:id, 1, :r, :id, :number, :code, 'Peserta',"
            " 'Bappeda', 16, :at, '')", id=id_, r=registration_id, number=f"00{id_}/SERT/2022", code=f"code-{id_}",
            at=issued_at)

    upgrade()
    rows = run("SELECT id, nip, role, signer_name, signer_nip, signer_position, issue_place, issued_on"
               " FROM certificates ORDER BY id").all()
    first, second = [tuple(row) for row in rows]
    assert first[:7] == (1, "198501012010012001", "narasumber", "H. Ahmad", "197001011995031001", "Kepala Dinas",
                         "Serang")
    assert second[1:3] == ("", "peserta")
    # 18:00 UTC on the 14th is the 15th in Serang (WIB); 03:00 UTC is still the 14th.
    assert [date.fromisoformat(str(row[7])) for row in rows] == [date(2022, 6, 15), date(2022, 6, 14)]
    assert run("SELECT seq_start FROM certificate_settings").scalar_one() == 1
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []

    downgrade(revision=BEFORE)
    assert run("SELECT count(*) FROM certificates").scalar_one() == 2
    upgrade()
    assert run("SELECT count(*) FROM certificates").scalar_one() == 2
