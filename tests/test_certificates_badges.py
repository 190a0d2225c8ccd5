"""Name badges: 2 × 4 per A4 sheet, the ticket QR on each, filtered by OPD and "not printed yet"."""
import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Registration
from tests.certificates_support import pdf_page_count, pdf_page_image, qr_texts


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
    response = client.post(f"/admin/acara/{event.slug}/lencana.pdf?opd={organization_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert qr_texts(pdf_page_image(response.data)) == [speaker.ticket_token]
    remaining = client.get(f"/admin/acara/{event.slug}/lencana?belum=1").get_data(as_text=True)
    assert speaker.full_name not in remaining and people["OPD1"][0].full_name in remaining
    assert client.get(f"/admin/acara/{event.slug}/lencana?opd=abc&belum=zz").status_code == 200


def test_a_role_is_peserta_by_default_and_nothing_else_is_stored(make):
    event = make.event()
    registration = make.registration(event)
    assert registration.role == "peserta"
    registration.role = "raja"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Registration, registration.id).role == "peserta"
