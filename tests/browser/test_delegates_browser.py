"""An OPD's contact on a phone (issue 24): from the QR link printed on the invitation letter to three delegates
with tickets, one of them swapped, at 390 px, with nothing out of reach."""
import io
import zipfile
from datetime import date

from app.delegates import services
from app.delegates.letters import letters_zip
from app.extensions import db
from app.models import STATUS_REGISTERED, Registration
from tests.certificates_support import pdf_page_image, qr_texts

FUTURE = (date(2030, 6, 13), date(2030, 6, 14))
WIDER_THAN_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def fill_person(page, name, phone, email):
    page.get_by_label("Nama lengkap").fill(name)
    page.get_by_label("Jabatan").fill("Analis Kebijakan")
    page.get_by_label("Nomor HP (WhatsApp)").fill(phone)
    page.get_by_label("E-mail").fill(email)


def test_an_opd_contact_goes_from_the_letters_qr_to_three_tickets_on_a_phone(phone_page, app, make, live_server):
    event = make.event(dates=FUTURE, quota=3)
    with app.test_request_context():
        archive = letters_zip(event, live_server)
    db.session.commit()
    bundle = zipfile.ZipFile(io.BytesIO(archive))
    first_pdf = bundle.read(sorted(name for name in bundle.namelist() if name.endswith(".pdf"))[0])
    [link] = qr_texts(pdf_page_image(first_pdf))  # what the OPD's phone camera reads off the letter
    assert link.startswith(f"{live_server}/opd/")

    page = phone_page
    page.goto(link)
    assert "0 dari 3 kursi terisi" in page.content()
    for n, name in enumerate(("Andi Wijaya", "Sari Dewi", "Budi Santoso"), start=1):
        fill_person(page, name, f"0812 3456 70{n:02d}", f"delegasi{n}@example.go.id")
        with page.expect_navigation():  # content() reads the answer, not the page it leaves
            page.get_by_role("button", name="Simpan peserta").click()
        assert f"{name} terdaftar" in page.content()
        assert not page.evaluate(WIDER_THAN_SCREEN)
    assert "3 dari 3 kursi terisi" in page.content()
    assert page.get_by_role("button", name="Simpan peserta").count() == 0  # full: swap instead

    # Sari cannot come: the contact sends Rudi instead.
    page.get_by_role("link", name="Ganti orang: Sari Dewi").click()
    fill_person(page, "Rudi Hartono", "0812 3456 7009", "rudi@example.go.id")
    with page.expect_navigation():
        page.get_by_role("button", name="Ganti orang").click()
    assert "Sari Dewi diganti Rudi Hartono" in page.content()

    # Every button of every delegate is on the screen: none cut off at 390 px.
    buttons = page.locator(".delegates .btn").all()
    assert len(buttons) == 15
    for button in buttons:
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390

    page.get_by_role("link", name="Tiket Rudi Hartono", exact=True).click()
    page.wait_for_url("**/tiket/**")
    assert "Rudi Hartono" in page.content() and "/tiket/" in page.url

    db.session.expire_all()
    names = sorted(db.session.execute(
        db.select(Registration.full_name).filter_by(event_id=event.id, status=STATUS_REGISTERED)).scalars())
    assert names == ["Andi Wijaya", "Budi Santoso", "Rudi Hartono"]
    assert len(services.delegates(services.find_link(link.rsplit("/", 1)[1]))) == 3
