"""Every destructive action of the console asks first, in Chromium, under the app's CSP: the page says what
will be lost, "Kembali" changes nothing, and only the confirmation destroys. No script is involved."""
import io
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from app.auth.services import issue_api_token
from app.checkin.services import check_in
from app.extensions import db
from app.materials.checks import UploadPolicy
from app.materials.services import Upload, upload_materials
from app.materials.sniffing import TYPES
from app.models import AgendaItem, ApiToken, Attendance, EventOrganization, Material, Registration, User
from app.storage import LocalStorage
from tests import materials_support as samples
from tests.factories import PASSWORD

EVENT = "/admin/acara/bimtek-uji"


@pytest.fixture
def console(browser, live_server, make):
    """A signed-in admin's laptop-sized page that records any CSP violation."""
    make.user()
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and page.violations.append(message))
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill("admin@example.go.id")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("/")  # the home page; "**/" matches /masuk/ itself
    yield page
    context.close()


def asks_then_goes_back_then_confirms(page, button, loss, confirm, still_there):
    """Click `button`: the confirmation names `loss`; going back keeps everything (`still_there()` stays
    true); clicking again and confirming with `confirm` does it."""
    button().click()
    expect(page.locator("#confirm-title")).to_be_visible()
    expect(page.locator(".losses")).to_contain_text(loss)
    assert page.locator("script:not([src])").count() == 0
    page.get_by_role("link", name="Kembali, jangan ubah apa pun").click()
    expect(page.locator("#confirm-title")).to_have_count(0)
    db.session.expire_all()
    assert still_there()
    button().click()
    page.get_by_role("button", name=confirm).click()
    expect(page.locator("#confirm-title")).to_have_count(0)
    db.session.expire_all()
    assert not still_there()
    assert page.violations == []


def test_cancelling_a_participant(console, make):
    event = make.event()
    registration = make.registration(event, full_name="Budi Santoso")
    check_in(registration, event.days[0], method="manual", now=datetime(2022, 6, 13, 1, 0, tzinfo=UTC))
    db.session.commit()
    console.goto(f"{EVENT}/peserta")
    asks_then_goes_back_then_confirms(
        console, lambda: console.get_by_role("button", name="Batalkan"),
        "Tiket Budi Santoso tidak berlaku lagi", "Ya, batalkan pendaftaran",
        lambda: db.session.get(Registration, registration.id).status == "registered")
    expect(console.get_by_text("Pendaftaran Budi Santoso dibatalkan.")).to_be_visible()


def test_undoing_a_check_in(console, make):
    event = make.event()
    registration = make.registration(event, full_name="Siti Aminah")
    check_in(registration, event.days[0], method="scanner", now=datetime(2022, 6, 13, 0, 58, tzinfo=UTC))
    db.session.commit()
    console.goto(f"{EVENT}/peserta")
    asks_then_goes_back_then_confirms(
        console, lambda: console.get_by_role("button", name="urungkan"),
        "Kehadiran Siti Aminah pada Hari 1 (07.58 WIB, pemindai)", "Ya, urungkan kehadiran",
        lambda: db.session.execute(db.select(Attendance)).first() is not None)


def test_deleting_an_agenda_item(console, make):
    event = make.event()
    samples.session(event, title="Paparan Kebijakan")
    console.goto(f"{EVENT}/agenda")
    asks_then_goes_back_then_confirms(
        console, lambda: console.get_by_role("button", name="Hapus"),
        "Agenda “Paparan Kebijakan” (Hari 1, 08.00) hilang dari halaman acara.", "Ya, hapus agenda",
        lambda: db.session.execute(db.select(AgendaItem)).first() is not None)


def test_removing_an_opd_from_the_event(console, make):
    make.event(opds=3)
    console.goto(f"{EVENT}/opd")

    def uncheck_and_save():
        console.locator("input[name=take_part]").nth(2).uncheck()
        return console.get_by_role("button", name="Simpan daftar OPD").last

    asks_then_goes_back_then_confirms(
        console, uncheck_and_save, "Dinas Contoh 3", "Ya, keluarkan dan simpan",
        lambda: db.session.execute(db.select(db.func.count()).select_from(EventOrganization)).scalar() == 3)


def test_deleting_a_material(console, make, app):
    event = make.event()
    upload_materials(event, [Upload("paparan.pdf", io.BytesIO(samples.pdf(b"x")), "Paparan Kadis")],
                     agenda_item_id=None, visibility="public",
                     policy=UploadPolicy(allowed=frozenset(TYPES), max_bytes=1024 * 1024),
                     storage=LocalStorage(app.config["UPLOAD_FOLDER"]))
    db.session.commit()
    console.goto("/admin/acara/bimtek-uji/materi")
    asks_then_goes_back_then_confirms(
        console, lambda: console.get_by_role("button", name="Hapus", exact=True),
        "Materi “Paparan Kadis” (paparan.pdf", "Ya, hapus materi",
        lambda: db.session.execute(db.select(Material)).first() is not None)


def test_deactivating_a_user_and_revoking_a_token(console, make):
    operator = make.user("meja@example.go.id", role="operator")
    issue_api_token(operator, "meja-1")
    db.session.commit()
    console.goto(f"/admin/pengguna/{operator.id}")
    asks_then_goes_back_then_confirms(
        console, lambda: console.get_by_role("button", name="Cabut meja-1"),
        "Token “meja-1” ditolak di semua server", "Ya, cabut token",
        lambda: db.session.execute(db.select(ApiToken.revoked_at)).scalar() is None)
    asks_then_goes_back_then_confirms(
        console, lambda: console.get_by_role("button", name="Nonaktifkan"),
        "meja@example.go.id tidak dapat masuk lagi", "Ya, nonaktifkan",
        lambda: db.session.get(User, operator.id).active)
