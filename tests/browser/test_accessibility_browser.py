"""axe-core (tests/browser/vendor/axe-core, not served by the app) on every page, in Chromium under the
app's own CSP: zero violations of impact "serious" or "critical". Forms link their hints and errors to
their fields, a failed submit moves the focus to an error summary, and every page has a skip link.

"Every page" is checked against the URL map: a GET route is either in the pages axe visits or in
NOT_PAGES with the reason it is not a page, so a new page cannot be forgotten."""
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.audit import record_access
from app.auth.services import issue_api_token
from app.certificates.issuing import issue_certificates
from app.checkin.services import check_in
from app.delegates import services as delegates
from app.evaluation import services as evaluations
from app.evaluation.defaults import add_default_set
from app.extensions import db
from app.messages.reminders import schedule
from app.messages.selfservice import replace
from app.models import KIND_FREE
from app.privacy.services import request_deletion
from app.values import clean_participant
from app.waitlist import services as waitlist
from tests import materials_support as samples
from tests.certificates_support import attend
from tests.factories import OPEN_UNTIL, PASSWORD, event_organization_list

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
# Fields and buttons lower than 24 px (WCAG 2.2 target size): a thumb misses them.
SMALL_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0 && box.height < 24; })
  .map(el => el.id || el.name || el.textContent.trim())"""


def violations(page):
    """axe's serious and critical violations on the page as it is now: 'rule: target …' lines."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {', '.join(str(node['target']) for node in rule['nodes'][:4])}"
        for rule in result["violations"] if rule["impact"] in SERIOUS
    ]


@pytest.fixture
def axe_context(browser, live_server):
    def open_context(**options):
        context = browser.new_context(base_url=live_server, locale="id-ID", **options)
        context.add_init_script(path=str(AXE))  # by the DevTools protocol: the page's CSP does not apply
        context.set_default_timeout(10_000)
        return context

    contexts = []
    yield lambda **options: contexts.append(open_context(**options)) or contexts[-1]
    for context in contexts:
        context.close()


@pytest.fixture
def bimtek(make):
    """An event with an agenda, a material, registrations, a check-in, an operator with a token,
    evaluations (the default set and a post-test, answered once), an issued certificate, a pending
    deletion request, a scheduled message and a logged access to personal data. Self-service edits
    stay open (edits_close_at far ahead) so that the edit pages show their forms."""
    event = make.event(quota=2, edits_close_at=OPEN_UNTIL)  # OPD1 full: its figure in the darker amber
    item = samples.session(event, title="Paparan Kebijakan")
    samples.session(event, starts="09:00", ends="10:30",  # a real title's length, on a phone's width
                    title="Paparan Kebijakan Pengembangan Kota Cerdas dan Penyusunan Masterplan Smart City 2022–2027",
                    speaker="Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Serang")
    registration = make.registration(event, full_name="Budi Santoso")
    colleague = make.registration(event, full_name="Siti Aminah")
    leaving = make.registration(event, event_organization_list(event)[1], full_name="Rudi Hartono")
    check_in(registration, event.days[0], method="scanner", now=datetime(2022, 6, 13, 1, 0, tzinfo=UTC))
    attend(registration, event.days[1])
    admin = make.user()
    operator = make.user("meja@example.go.id", role="operator")
    issue_api_token(operator, "meja-1")
    evaluation = add_default_set(event)[0]
    # Open to everyone registered, so that the colleague (not checked in: the edit pages stay open) sees the form.
    evaluation.present_only = False
    test = evaluations.create_form(event, kind="posttest", title="Post-test Kota Cerdas", show_score=True)
    evaluations.add_questions(test, [
        evaluations.QuestionSpec("single", "Ibu kota Banten?", choices=["Serang", "Cilegon"], correct=[0], points=2),
    ])
    evaluations.submit_response(evaluation, registration, {
        question.id: ["4"] if question.kind == "likert" else ["Baik"] for question in evaluation.questions})
    certificate = issue_certificates(event)[0]
    request_deletion(leaving, "Saya tidak jadi ikut.")
    schedule(event, kind=KIND_FREE, audience="all", send_at=OPEN_UNTIL, subject="Info", body="Bawa laptop.")
    record_access(admin, event, "export", "daftar hadir")
    opd_link = delegates.issue_link(event, event_organization_list(event)[1].id)
    opd_link.deadline = OPEN_UNTIL  # the OPD's page with its forms (the event took place in 2022)
    delegate = delegates.add_delegate(opd_link, event, {
        "full_name": "Andi Wijaya", "nip": None, "position": "Kepala Seksi", "rank": None,
        "phone": "+6281234567004", "email": "andi@example.go.id"})
    waiting = waitlist.join(event, event_organization_list(event)[0].id, {  # OPD1 is full
        "full_name": "Tono Menunggu", "nip": None, "position": "Staf", "rank": None, "phone": "+6281234567005",
        "email": "tono@example.go.id"})
    waiting.status, waiting.offer_token, waiting.hold_until = "offered", "tawaran-kursi-uji-" + "x" * 30, OPEN_UNTIL
    db.session.commit()
    return {"event": event, "opd_link": opd_link, "delegate": delegate, "waiting": waiting,
            "item": item, "registration": registration, "colleague": colleague,
            "leaving": leaving, "admin": admin, "operator": operator, "evaluation": evaluation, "test": test,
            "certificate": certificate}


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


def console_pages(bimtek):
    """Every page of the console, the check-in station and the account, for a signed-in administrator."""
    ids = {key: bimtek[key].id for key in ("item", "registration", "operator", "evaluation", "test")}
    event = "/admin/acara/bimtek-uji"
    return [
        "/e/bimtek-uji/checkin", "/admin/", "/admin/acara/baru", event,
        f"{event}/peserta", f"{event}/peserta/{ids['registration']}",
        f"{event}/impor", f"{event}/ubah", f"{event}/salin", f"{event}/agenda",
        f"{event}/agenda/{ids['item']}", f"{event}/opd", f"{event}/opd/tautan", f"{event}/opd/undangan",
        f"{event}/opd/{bimtek['opd_link'].organization_id}/kontak",
        f"{event}/belum-hadir", f"{event}/narasumber-panitia",
        f"{event}/spj", f"{event}/materi", "/admin/pengguna",
        f"/admin/pengguna/{ids['operator']}", "/akun/sandi",
        f"{event}/evaluasi",
        *(f"{event}/evaluasi/{ids[form]}{page}"
          for form in ("evaluation", "test") for page in ("", "/hasil", "/hapus")),
        f"{event}/evaluasi/bawaan",  # the default set made already: its sessions shown as taken
        f"{event}/evaluasi/{ids['test']}/pertanyaan/{bimtek['test'].questions[0].id}/ubah",  # not answered yet
        f"{event}/pesan", f"{event}/sertifikat", f"{event}/lencana", f"{event}/permintaan-hapus",
        "/admin/akses-data", "/admin/jp", "/admin/pemerintah/", "/admin/pemerintah/kota-uji", "/pengamat/",
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


def log_in(page, email="admin@example.go.id"):
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


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
    assert page.evaluate("document.activeElement.id") == "main"


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
