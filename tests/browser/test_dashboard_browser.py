"""The committee's dashboard in Chromium: it follows the desk's check-ins without a reload."""
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from app.checkin.services import check_in
from app.extensions import db
from tests.factories import PASSWORD


def check_in_at_the_desk(registration, day):
    """A check-in made elsewhere while the dashboard is open.

    Through the service until the check-in API (issue 3) is merged; then this becomes
    a POST /api/v1/checkins with an operator's Bearer token.
    """
    check_in(registration, day, method="scanner", device="meja-1")
    db.session.commit()


def test_the_dashboard_updates_after_a_check_in(browser, live_server, make):
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    event = make.event(dates=(today,))
    registration = make.registration(event, full_name="Budi Santoso")
    make.user()
    page = browser.new_page(base_url=live_server, viewport={"width": 1280, "height": 900})
    page.set_default_timeout(10_000)
    try:
        page.goto("/admin/acara/bimtek-uji")
        page.wait_for_url("**/masuk/**")
        page.get_by_label("E-mail").fill("admin@example.go.id")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url("**/admin/acara/bimtek-uji")
        present = page.locator("#present-day-1")
        expect(present).to_have_text("0")
        expect(page.locator("#count-registered")).to_have_text("1")
        page.evaluate("window.notReloaded = true")

        check_in_at_the_desk(registration, event.days[0])

        expect(present).to_have_text("1", timeout=12_000)
        assert page.evaluate("window.notReloaded") is True
        assert page.get_by_text("hari ini").first.is_visible()
    finally:
        page.close()
