"""The committee's dashboard in Chromium: it follows the desk's check-ins without a reload."""
import json
import urllib.request
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.factories import PASSWORD


def check_in_at_the_desk(live_server, api_token, ticket_token):
    """A check-in made at a desk through the API while the dashboard is open."""
    request = urllib.request.Request(
        f"{live_server}/api/v1/checkins",
        data=json.dumps({"token": ticket_token, "device": "meja-1"}).encode(),
        headers={"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        assert json.load(response)["result"] == "checked_in"


def test_the_dashboard_updates_after_a_check_in(browser, live_server, make):
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    event = make.event(dates=(today,))
    registration = make.registration(event, full_name="Budi Santoso")
    api_token = make.api_token(make.user())
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

        check_in_at_the_desk(live_server, api_token, registration.ticket_token)

        expect(present).to_have_text("1", timeout=12_000)
        assert page.evaluate("window.notReloaded") is True
        expect(page.get_by_text("hari ini").first).to_be_visible()
    finally:
        page.close()
