"""Name badges: 2 × 4 per A4 sheet, the ticket QR on each, filtered by OPD and "not printed yet"."""

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Registration
from tests.certificates_support import pdf_page_count, pdf_page_image, qr_texts, signed_set


def crowd(make, event, per_opd):
    organizations = make.event_organization_list(event)
    return {o.short_name: [make.registration(event, o) for _ in range(per_opd)] for o in organizations}


def test_cli_prints_badges_whose_qr_is_the_ticket_token(make, runner, tmp_path):
    event = make.event(quota=10)
    people = crowd(make, event, 3)  # 9 people: a full sheet and one more
    out = tmp_path / "lencana.pdf"
    result = runner.invoke(args=["print-badges", event.slug, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "9 badge(s)" in result.output
    data = out.read_bytes()
    assert pdf_page_count(data) == 2
    tokens = {r.ticket_token for group in people.values() for r in group}
    found = set(qr_texts(pdf_page_image(data, 0))) | set(qr_texts(pdf_page_image(data, 1)))
    assert found == tokens
    assert all(r.badge_printed_at is not None for group in people.values() for r in group)


def test_cli_filters_by_opd_and_not_printed_yet(make, runner, tmp_path):
    event = make.event(quota=10)
    people = crowd(make, event, 2)
    out = tmp_path / "opd1.pdf"
    result = runner.invoke(args=["print-badges", event.slug, "-o", str(out), "--opd", "OPD1"])
    assert "2 badge(s)" in result.output
    assert set(qr_texts(pdf_page_image(out.read_bytes()))) == {r.ticket_token for r in people["OPD1"]}
    late = make.registration(event, make.event_organization_list(event)[0])
    result = runner.invoke(args=["print-badges", event.slug, "-o", str(out), "--not-printed"])
    assert "5 badge(s)" in result.output  # the four of OPD2 and OPD3, and the late one
    result = runner.invoke(args=["print-badges", event.slug, "-o", str(out), "--not-printed"])
    assert "0 badge(s)" in result.output and out.read_bytes().startswith(b"%PDF-")
    assert late.ticket_token
    assert runner.invoke(args=["print-badges", event.slug, "-o", str(out), "--opd", "TIDAK"]).exit_code != 0


def test_console_sets_a_role_and_prints_the_filtered_badges(make, client, auth):
    event = make.event(quota=10)
    people = crowd(make, event, 1)
    make.user()
    auth.login("admin@example.go.id")
    speaker = people["OPD2"][0]
    page = client.get(f"/admin/acara/{event.slug}/lencana")
    assert page.status_code == 200 and speaker.full_name in page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert 'id="badge-form"' in html and 'data-busy="Menyiapkan PDF lencana' in html
    assert 'id="bulk-progress"' in html and "js/certificates-admin.js" in html
    url = f"/admin/acara/{event.slug}/lencana/peran/{speaker.id}"
    assert client.post(url, data={"role": "narasumber"}).status_code == 303
    db.session.refresh(speaker)
    assert speaker.role == "narasumber"
    assert client.post(url, data={"role": "raja"}).status_code == 400
    other = make.event(slug="lain")
    assert client.post(f"/admin/acara/{other.slug}/lencana/peran/{speaker.id}",
                       data={"role": "panitia"}).status_code == 404
    organization_id = speaker.organization_id
    badge_set = signed_set(client.get(f"/admin/acara/{event.slug}/lencana?opd={organization_id}"))
    response = client.post(f"/admin/acara/{event.slug}/lencana.pdf?opd={organization_id}", data={"set": badge_set})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert qr_texts(pdf_page_image(response.data)) == [speaker.ticket_token]
    client.post(f"/admin/acara/{event.slug}/lencana/dicetak?opd={organization_id}", data={"set": badge_set})
    remaining = client.get(f"/admin/acara/{event.slug}/lencana?belum=1").get_data(as_text=True)
    assert speaker.full_name not in remaining and people["OPD1"][0].full_name in remaining
    assert client.get(f"/admin/acara/{event.slug}/lencana?opd=abc&belum=zz").status_code == 200


def printed(people):
    db.session.expire_all()
    return {r.full_name for r in people if db.session.get(Registration, r.id).badge_printed_at is not None}


def test_the_download_marks_nothing_and_the_offer_marks_exactly_that_download(make, client, auth):
    event = make.event(quota=10)
    people = [r for group in crowd(make, event, 1).values() for r in group]
    make.user()
    auth.login("admin@example.go.id")
    page = client.get(f"/admin/acara/{event.slug}/lencana?belum=1")
    assert 'id="badge-printed-form"' in page.get_data(as_text=True)
    assert "Tandai 3 lencana sudah dicetak" in page.get_data(as_text=True)
    badge_set = signed_set(page)
    late = make.registration(event, make.event_organization_list(event)[0], full_name="Datang Belakangan")
    download = client.post(f"/admin/acara/{event.slug}/lencana.pdf?belum=1", data={"set": badge_set})
    assert download.status_code == 200
    assert set(qr_texts(pdf_page_image(download.data))) == {r.ticket_token for r in people}
    assert printed(people + [late]) == set()  # the download alone marks nothing
    marked = client.post(f"/admin/acara/{event.slug}/lencana/dicetak?belum=1", data={"set": badge_set})
    assert marked.status_code == 303 and marked.headers["Location"].endswith("/lencana?belum=1")
    assert "3 lencana ditandai sudah dicetak." in client.get(marked.headers["Location"]).get_data(as_text=True)
    assert printed(people + [late]) == {r.full_name for r in people}
    other = make.event(slug="lain")
    assert client.post(f"/admin/acara/{other.slug}/lencana/dicetak", data={"set": badge_set}).status_code == 400
    for forged in ("", badge_set[:-2] + "xx"):
        assert client.post(f"/admin/acara/{event.slug}/lencana/dicetak", data={"set": forged}).status_code == 400
        assert client.post(f"/admin/acara/{event.slug}/lencana.pdf", data={"set": forged}).status_code == 400


def test_cli_marks_nothing_when_the_file_cannot_be_written(make, runner, tmp_path, monkeypatch):
    event = make.event(quota=10)
    people = [r for group in crowd(make, event, 1).values() for r in group]

    def disk_full(badges, stream, **_options):
        stream.write(b"%PDF-1.4 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("app.certificates.cli.write_badges_pdf", disk_full)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "lencana.pdf"
    result = runner.invoke(args=["print-badges", event.slug, "-o", str(out)])
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert "no badge marked printed" in result.output
    assert printed(people) == set() and list(out.parent.iterdir()) == []  # no half PDF left either
    assert runner.invoke(args=["print-badges", event.slug, "-o", str(tmp_path / "nope" / "x.pdf")]).exit_code == 1
    assert printed(people) == set()


def test_a_role_is_peserta_by_default_and_nothing_else_is_stored(make):
    event = make.event()
    registration = make.registration(event)
    assert registration.role == "peserta"
    registration.role = "raja"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Registration, registration.id).role == "peserta"
