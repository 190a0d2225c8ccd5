"""The JP ledger: per NIP (or e-mail), every certificate in force across events, with totals per year."""
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from app.certificates.issuing import active_certificate, issue_certificates, revoke_certificate
from app.certificates.settings import save_certificate_settings
from app.extensions import db
from tests.certificates_support import attend

NIP = "198001012006041001"


def certify(make, event, jp, when, **person):
    # Each event its own numbers: another event's number is refused at issue.
    save_certificate_settings(event, {"jp_override": jp, "number_pattern": f"{{seq:03d}}/{event.slug}/{{year}}"})
    registration = make.registration(event, **person)
    attend(registration, *event.days)
    issue_certificates(event, now=when)
    db.session.commit()
    return registration


def two_years(make):
    first = make.event(slug="bimtek-2022", title="Bimtek Smart City")
    second = make.event(slug="bimtek-2023", title="Bimtek Data", dates=(date(2023, 3, 1),))
    third = make.event(slug="bimtek-2023b", title="Bimtek SPBE", dates=(date(2023, 8, 1),))
    certify(make, first, 16, datetime(2022, 6, 14, 9, tzinfo=UTC), nip=NIP, full_name="Siti")
    certify(make, second, 12, datetime(2023, 3, 1, 9, tzinfo=UTC), nip=NIP, full_name="Siti Rahma")
    certify(make, third, 10, datetime(2023, 8, 1, 9, tzinfo=UTC), nip=NIP, full_name="Siti Rahma")
    certify(make, second, 12, datetime(2023, 3, 1, 9, tzinfo=UTC), nip=None, email="Honorer@Example.go.id",
            full_name="Budi Honorer")
    revoked = certify(make, third, 10, datetime(2023, 8, 1, 9, tzinfo=UTC), nip="197001011995031001",
                      full_name="Dicabut")
    revoke_certificate(active_certificate(revoked), "uji")
    db.session.commit()


def test_cli_prints_totals_per_year_per_nip_or_email(make, runner):
    two_years(make)
    result = runner.invoke(args=["jp-ledger"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    siti = next(line for line in lines if line.startswith(NIP))
    assert "2022: 16 JP" in siti and "2023: 22 JP" in siti and "Siti Rahma" in siti
    assert any(line.startswith("honorer@example.go.id\tBudi Honorer") for line in lines)
    assert "Dicabut" not in result.output
    only_2022 = runner.invoke(args=["jp-ledger", "--year", "2022"]).output
    assert "2022: 16 JP" in only_2022 and "2023" not in only_2022 and "Budi" not in only_2022


def test_cli_and_page_write_the_workbook(make, runner, client, auth, tmp_path):
    two_years(make)
    out = tmp_path / "jp.xlsx"
    assert runner.invoke(args=["jp-ledger", "--year", "2023", "-o", str(out)]).exit_code == 0
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Total JP per Tahun", "Rincian Sertifikat"]
    totals = [[cell.value for cell in row] for row in workbook["Total JP per Tahun"].iter_rows(min_row=7)]
    assert [totals[1][i] for i in (1, 2, 4, 5, 6)] == [NIP, "Siti Rahma", 2023, 22, "Ya"]
    assert totals[0][1] == "honorer@example.go.id" and totals[0][6] == "Belum"
    assert len(list(workbook["Rincian Sertifikat"].iter_rows(min_row=7))) == 3

    make.user()
    auth.login("admin@example.go.id")
    page = client.get("/admin/jp?tahun=2022").get_data(as_text=True)
    assert NIP in page and "2022: 16 JP" in page and "Budi" not in page
    assert "Budi Honorer" in client.get("/admin/jp").get_data(as_text=True)
    assert client.get("/admin/jp?tahun=²").status_code == 200
    download = client.get("/admin/jp.xlsx?tahun=2023")
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(download.data)).sheetnames[0] == "Total JP per Tahun"


def test_jp_count_in_the_year_of_the_event_not_of_the_issue(make, runner):
    december = make.event(slug="bimtek-desember", title="Bimtek Akhir Tahun",
                          dates=(date(2022, 12, 29), date(2022, 12, 30)))
    certify(make, december, 16, datetime(2023, 1, 9, 3, tzinfo=UTC), nip=NIP, full_name="Siti")
    output = runner.invoke(args=["jp-ledger"]).output
    assert "2022: 16 JP" in output and "2023" not in output.splitlines()[0]
    assert "2022-" not in output and "2023-01-09" in output  # the issue date itself is kept as it is
    assert "Siti" in runner.invoke(args=["jp-ledger", "--year", "2022"]).output
    assert "Siti" not in runner.invoke(args=["jp-ledger", "--year", "2023"]).output


def test_the_ledger_dates_a_certificate_as_it_is_printed(make, runner):
    event = make.event(slug="bimtek-tanggal", title="Bimtek Tanggal")
    save_certificate_settings(event, {"issue_date": date(2022, 6, 20)})  # printed: 20 June, issued later
    certify(make, event, 16, datetime(2022, 7, 1, 3, tzinfo=UTC), nip=NIP, full_name="Siti")
    output = runner.invoke(args=["jp-ledger"]).output
    assert "2022-06-20" in output and "2022-07-01" not in output
