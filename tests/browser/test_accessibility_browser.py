"""axe-core (tests/browser/vendor/axe-core, not served by the app) on every page, in Chromium under the
app's own CSP: zero violations of impact "serious" or "critical". Forms link their hints and errors to
their fields, a failed submit moves the focus to an error summary, and every page has a skip link.

"Every page" is checked against the URL map: a GET route is either in the pages axe visits or in
NOT_PAGES with the reason it is not a page, so a new page cannot be forgotten."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.messages.selfservice import replace
from app.values import clean_participant
from tests.browser.axe_walk import console_pages, log_in, violations

# Fields and buttons lower than 24 px (WCAG 2.2 target size): a thumb misses them.
SMALL_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0 && box.height < 24; })
  .map(el => el.id || el.name || el.textContent.trim())"""


def public_pages(bimtek):
    """Every page a participant or the public reaches, each in the states worth seeing."""
    token = bimtek["registration"].ticket_token
    colleague = bimtek["colleague"]
    evaluation, test = bimtek["evaluation"].id, bimtek["test"].id
    return [
        "/", "/e/bimtek-uji", "/e/bimtek-uji/daftar", "/e/bimtek-uji/lupa-tiket", "/masuk/",
        f"/tiket/{token}", f"/tiket/{token}/evaluasi/{test}", f"/tiket/{token}/evaluasi/{evaluation}",  # answered
        f"/tiket/{colleague.ticket_token}/evaluasi/{evaluation}",  # the default set: scales and free text
        f"/ubah/{bimtek['registration'].edit_token}/data-saya", f"/ubah/{colleague.edit_token}/minta-hapus",
        f"/ubah/{bimtek['leaving'].edit_token}/minta-hapus",  # a request pending
        f"/ubah/{colleague.edit_token}", f"/ubah/{colleague.edit_token}/ganti",
        "/privasi/kota-uji", f"/verifikasi/{bimtek['certificate'].code}",
        "/e/bimtek-uji/daftar-tunggu", f"/tunggu/{bimtek['waiting'].offer_token}",
        f"/opd/{bimtek['opd_link'].token}", f"/opd/{bimtek['opd_link'].token}/{bimtek['delegate'].id}/ubah",
        f"/opd/{bimtek['opd_link'].token}/{bimtek['delegate'].id}/ganti",
    ]


# GET routes that are not pages for axe to read, and why.
NOT_PAGES = {
    "static": "files",
    "health.healthz": "a probe's JSON",
    "monitoring.readyz": "a probe's JSON",
    "monitoring.metrics": "Prometheus text, behind a bearer token",
    "checkin.service_worker": "a script",
    "messages.favicon": "an image",
    "i18n.choose_language": "a redirect back",
    "messages.ticket_to_own_whatsapp": "a redirect to wa.me",
    "admin.open_whatsapp": "a redirect to wa.me (the message built at the click)",
    "delegates.whatsapp": "a redirect to wa.me", "admin_delegates.remind_whatsapp": "a redirect to wa.me",
    "admin.old_materials_address": "a redirect to the materials tab",
    "admin.dashboard_live": "a fragment the dashboard fetches into itself (the dashboard is checked)",
    # Data and downloads: JSON, spreadsheets, PDFs, images, archives, calendars.
    "api.counts": "JSON", "api.search": "JSON", "api.offline_roster": "JSON",
    "admin.dashboard_json": "JSON", "overview.as_json": "JSON", "privacy.my_data_json": "JSON",
    "admin.export_attendance": "xlsx", "admin.export_answers": "xlsx", "admin.export_questions": "xlsx",
    "admin_checkin.absent_workbook": "xlsx", "admin_delegates.letters_download": "ZIP",
    "admin.import_template": "xlsx", "admin_certificates.jp_ledger_workbook": "xlsx", "overview.as_xlsx": "xlsx",
    "admin_certificates.download": "PDF", "admin_certificates.preview_pdf": "PDF",
    "certificates.ticket_certificate": "PDF", "admin_certificates.stored_image": "PNG",
    "registration.ticket_qr_png": "PNG", "registration.ticket_qr_svg": "SVG", "registration.ticket_card_png": "PNG",
    "admin_certificates.download_zip": "ZIP", "materials.public_zip": "ZIP", "materials.ticket_zip": "ZIP",
    "admin.download_material": "a material's file", "materials.public_download": "a material's file",
    "materials.ticket_download": "a material's file", "messages.event_calendar": "iCalendar",
}


def test_every_page_of_the_url_map_is_checked_or_said_not_to_be_a_page(app, bimtek):
    adapter = app.url_map.bind("localhost")
    checked = {adapter.match(path)[0] for path in public_pages(bimtek) + console_pages(bimtek)}
    get_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())}
    assert get_routes - checked - NOT_PAGES.keys() == set()
    assert NOT_PAGES.keys() - get_routes == set()  # no stale excuses
    assert checked & NOT_PAGES.keys() == set()


def check_pages(page, paths):
    """axe's serious and critical violations of each page, whether it is wider than the screen (a page
    that scrolls sideways on a phone hides its right-hand side) and its controls lower than 24 px."""
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, path
        problems = violations(page)
        if page.evaluate("document.documentElement.scrollWidth") > page.viewport_size["width"]:
            problems.append("wider than the screen")
        problems += [f"lower than 24 px: {control}" for control in page.evaluate(SMALL_CONTROLS)]
        if problems:
            found[path] = problems
    return found


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_public_pages(axe_context, bimtek, viewport):
    page = axe_context(viewport=viewport).new_page()
    token = bimtek["registration"].ticket_token
    found = check_pages(page, public_pages(bimtek))
    page.goto(f"/tiket/{token}/evaluasi/{bimtek['test'].id}")
    with page.expect_navigation():  # axe on the page the POST answers, not the one it leaves
        page.get_by_role("button", name="Kirim jawaban").click()  # nothing chosen: the errors
    found.update({"evaluation (refused)": violations(page)} if violations(page) else {})
    page.goto(f"/ubah/{bimtek['colleague'].edit_token}")
    page.get_by_label("NIP").fill("123")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.locator("#error-summary")).to_be_visible()
    found.update({"edit (refused)": violations(page)} if violations(page) else {})
    # A seat handed over: its old ticket link is a page of its own (410), naming nobody.
    replace(bimtek["leaving"], clean_participant(dict(
        full_name="Rekan Pengganti", nip="", position="Analis", rank="", phone="0813 1111 0009",
        email="rekan.pengganti@example.go.id"))[0])
    db.session.commit()
    assert page.goto(f"/tiket/{bimtek['leaving'].ticket_token}").status == 410
    found.update({"ticket (transferred)": violations(page)} if violations(page) else {})
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill("admin@example.go.id")
    page.get_by_label("Kata sandi").fill("salah")
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    found.update({"/masuk/ (refused)": violations(page)} if violations(page) else {})
    assert found == {}


def test_registration_with_errors_links_them_and_focuses_the_summary(axe_context, bimtek):
    page = axe_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto("/e/bimtek-uji/daftar")
    page.get_by_label("NIP").fill("123")
    page.get_by_role("button", name="Daftar dan ambil tiket").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#nip']")).to_be_visible()
    nip = page.get_by_label("NIP")
    described = nip.get_attribute("aria-describedby").split()
    assert "nip-error" in described and "nip-hint" in described
    assert page.locator("#nip-error").inner_text() and page.locator("#nip-hint").inner_text()
    assert page.get_by_label("E-mail").get_attribute("aria-invalid") == "true"
    assert violations(page) == []


def test_skip_link_reaches_the_main_content(axe_context, bimtek):
    page = axe_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/e/bimtek-uji")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_station_and_every_console_page(axe_context, bimtek):
    page = axe_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page)
    found = check_pages(page, console_pages(bimtek))
    # Pages reached by a form: a refused event form, a refused import, a confirmation.
    page.goto("/admin/acara/baru")
    with page.expect_navigation():  # axe reads the answer to the POST, not the page it leaves
        page.get_by_role("button", name="Simpan").click()
    found.update({"event form (refused)": violations(page)} if violations(page) else {})
    page.goto("/admin/acara/bimtek-uji/peserta")
    with page.expect_navigation():
        page.get_by_role("button", name="Batalkan").first.click()
    found.update({"confirmation": violations(page)} if violations(page) else {})
    assert found == {}
    # The overview's chart is drawn to a viewBox: on a phone it scrolls rather than shrink its labels.
    page.goto("/pengamat/")
    assert page.locator(".chart .legend text").first.bounding_box()["height"] >= 12


# How far each checkbox's middle is from its label text's middle, for checkboxes inside an inline label.
CHECKBOX_OFF_ITS_LINE = """() => [...document.querySelectorAll('.inline-label')]
  .filter(label => label.querySelector('input[type=checkbox]'))
  .map(label => {
    const box = label.querySelector('input').getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents([...label.childNodes].find(node => node.nodeType === 3 && node.textContent.trim()));
    const text = range.getBoundingClientRect();
    return Math.abs((box.top + box.bottom) / 2 - (text.top + text.bottom) / 2);
  })"""


@pytest.mark.parametrize("path", ["/admin/acara/bimtek-uji/lencana", "/admin/acara/bimtek-uji/sertifikat"])
def test_a_checkbox_sits_on_its_labels_line(axe_context, bimtek, path):
    """The badge filter's "Belum dicetak saja" and the certificate settings' checkboxes: a box above
    its words, as they were, reads as belonging to the line before."""
    page = axe_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page)
    page.goto(path)
    offsets = page.evaluate(CHECKBOX_OFF_ITS_LINE)
    assert offsets and max(offsets) <= 2, offsets


def test_participant_action_buttons_keep_to_one_line(axe_context, bimtek):
    page = axe_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page)
    page.goto("/admin/acara/bimtek-uji/peserta")
    heights = page.evaluate("""() => [...document.querySelectorAll('.participants td.actions .btn')]
      .map(button => Math.round(button.getBoundingClientRect().height))""")
    assert heights and max(heights) == min(heights), heights
