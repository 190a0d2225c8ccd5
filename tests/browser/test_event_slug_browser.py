"""The new-event form fills "Alamat (slug)" from the title as it is typed, and keeps an address typed
by hand (app/static/js/event-slug.js)."""
from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_the_slug_follows_the_title_until_typed_by_hand(phone_page, make):
    make.tenant()
    make.user()
    page = phone_page
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill("admin@example.go.id")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("/")  # the home page; "**/" matches /masuk/ itself
    page.goto("/admin/acara/baru")
    title, slug = page.get_by_label("Judul acara"), page.locator("#slug")
    title.press_sequentially("Bimtek Satu Data: Kota Serang 2026 (Tahap Ⅱ) — Édisi Khusus")
    expect(slug).to_have_value("bimtek-satu-data-kota-serang-2026-tahap-ii-edisi-khusus")
    slug.fill("satu-data-2026")
    title.fill("Bimtek Satu Data Kota Serang")
    expect(slug).to_have_value("satu-data-2026")  # typed by hand: kept
    slug.fill("")
    title.fill("Bimtek Satu Data Kota Serang!")
    expect(slug).to_have_value("bimtek-satu-data-kota-serang")
