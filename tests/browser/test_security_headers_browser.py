"""Every page works under the app's Content-Security-Policy: Chromium reports no violation."""
import pytest

from app.extensions import db
from tests import materials_support as samples
from tests.browser.station import event_running_today, scan_at_once

ADMIN = "admin@example.go.id"
# Records each violation the page itself sees, besides what Chromium prints to the console.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture(autouse=True)
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


class Watch:
    """Console messages and page errors that speak of the security policy, per visited page."""

    def __init__(self, page):
        self.page = page
        self.found = []
        page.add_init_script(LISTEN)
        page.on("console", lambda message: self._note(message.text))
        page.on("pageerror", lambda error: self._note(str(error)))

    def _note(self, text):
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.found.append(text)

    def visit(self, path):
        response = self.page.goto(path)
        assert response.ok, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        self.settle()
        return response

    def settle(self):
        self.page.wait_for_load_state("networkidle")
        self.found.extend(self.page.evaluate("window.__violations || []"))


def test_public_pages_and_a_ticket_load_without_a_policy_violation(phone_page, make):
    event = make.event()
    samples.session(event, "Paparan Masterplan Smart City")
    watch = Watch(phone_page)
    for path in ("/", f"/e/{event.slug}", "/masuk/", "/e/tidak-ada"):
        phone_page.goto(path)
        watch.settle()
    watch.visit(f"/e/{event.slug}/daftar")
    phone_page.get_by_label("Nama lengkap").fill("Siti Aminah, S.T.")
    phone_page.get_by_label("Jabatan").fill("Kepala Seksi")
    phone_page.get_by_placeholder("Ketik untuk mencari OPD…").fill("contoh 2")
    phone_page.get_by_label("Nomor HP (WhatsApp)").fill("0813 1111 2222")
    phone_page.get_by_label("E-mail").fill("siti@serangkota.go.id")
    phone_page.get_by_label("Saya setuju").check()
    phone_page.get_by_role("button", name="Daftar dan ambil tiket").click()
    phone_page.wait_for_url("**/tiket/**")
    watch.settle()
    assert phone_page.get_by_alt_text("Kode QR tiket").evaluate("img => img.naturalWidth > 0")
    phone_page.get_by_role("button", name="Salin").click()
    watch.settle()
    assert watch.found == []


def test_the_station_and_the_materials_page_work_for_an_admin_without_a_policy_violation(phone_page, make):
    event, (siti, *_rest) = event_running_today(make)
    make.user(ADMIN, "admin")
    siti.full_name = 'Siti <img src=x onerror="window.__xss=1">'
    db.session.commit()
    watch = Watch(phone_page)
    phone_page.goto(f"/masuk/?next=/admin/acara/{event.slug}/materi")
    phone_page.get_by_label("E-mail").fill(ADMIN)
    phone_page.get_by_label("Kata sandi").fill(make.PASSWORD)
    # Not wait_for_url: its pattern matches /masuk/?next=/admin/… too, so it would not wait.
    with phone_page.expect_navigation(url=f"**/admin/acara/{event.slug}/materi"):
        phone_page.get_by_role("button", name="Masuk").click()
    watch.settle()
    phone_page.get_by_label("Berkas", exact=True).set_input_files(
        [{"name": "Paparan.pdf", "mimeType": "application/pdf", "buffer": samples.pdf()}])
    phone_page.get_by_role("button", name="Unggah", exact=True).click()
    phone_page.get_by_text("1 berkas diunggah.").wait_for()
    watch.settle()

    watch.visit(f"/e/{event.slug}/checkin")
    phone_page.wait_for_selector("body[data-station-ready]")
    phone_page.get_by_label("Nama meja/perangkat").fill("meja-admin")
    phone_page.get_by_label("Nama meja/perangkat").press("Enter")
    scan_at_once(phone_page, siti.ticket_token)
    phone_page.locator("#result.result-ok", has_text=siti.full_name).wait_for()
    phone_page.get_by_label("Cari nama atau NIP").fill("Siti <img")
    phone_page.locator("#search-results li", has_text=siti.full_name).wait_for()
    # The name is shown as text in the result panel and the search list, never run as markup.
    assert phone_page.locator("#result img, #search-results img").count() == 0
    assert phone_page.evaluate("window.__xss") is None
    phone_page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # evaluate awaits the Promise
    watch.settle()
    assert watch.found == []


def test_a_violation_would_be_seen(phone_page, make, app):
    """The watch is not blind: an inline script, which the policy forbids, is reported."""
    make.event()
    watch = Watch(phone_page)
    watch.visit("/e/bimtek-uji")
    phone_page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    watch.settle()
    assert phone_page.evaluate("window.__ran === undefined")
    assert any("script-src" in text for text in watch.found)
