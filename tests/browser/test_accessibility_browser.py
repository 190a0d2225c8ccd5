"""axe-core (tests/browser/vendor/axe-core, not served by the app) on every page, in Chromium under the
app's own CSP: zero violations of impact "serious" or "critical". Forms link their hints and errors to
their fields, a failed submit moves the focus to an error summary, and every page has a skip link."""
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.auth.services import issue_api_token
from app.checkin.services import check_in
from app.evaluation import services as evaluations
from app.evaluation.defaults import add_default_set
from app.extensions import db
from tests import materials_support as samples
from tests.factories import PASSWORD

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


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
    """An event with an agenda, a material, registrations, a check-in, an operator with a token, and
    evaluations: the default set and a post-test, answered once."""
    event = make.event(quota=2)  # OPD1 full: its figure in the darker amber
    item = samples.session(event, title="Paparan Kebijakan")
    registration = make.registration(event, full_name="Budi Santoso")
    make.registration(event, full_name="Siti Aminah")
    check_in(registration, event.days[0], method="scanner", now=datetime(2022, 6, 13, 1, 0, tzinfo=UTC))
    admin = make.user()
    operator = make.user("meja@example.go.id", role="operator")
    issue_api_token(operator, "meja-1")
    evaluation = add_default_set(event)[0]
    test = evaluations.create_form(event, kind="posttest", title="Post-test Kota Cerdas", show_score=True)
    evaluations.add_questions(test, [
        evaluations.QuestionSpec("single", "Ibu kota Banten?", choices=["Serang", "Cilegon"], correct=[0], points=2),
    ])
    evaluations.submit_response(evaluation, registration, {
        question.id: ["4"] if question.kind == "likert" else ["Baik"] for question in evaluation.questions})
    db.session.commit()
    return {"event": event, "item": item, "registration": registration, "admin": admin, "operator": operator,
            "evaluation": evaluation, "test": test}


def log_in(page, email="admin@example.go.id"):
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def check_pages(page, paths):
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, path
        problems = violations(page)
        if problems:
            found[path] = problems
    return found


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_public_pages(axe_context, bimtek, viewport):
    page = axe_context(viewport=viewport).new_page()
    token = bimtek["registration"].ticket_token
    found = check_pages(page, ["/", "/e/bimtek-uji", "/e/bimtek-uji/daftar", f"/tiket/{token}", "/masuk/",
                               f"/tiket/{token}/evaluasi/{bimtek['test'].id}"])
    page.goto(f"/tiket/{token}/evaluasi/{bimtek['test'].id}")
    page.get_by_role("button", name="Kirim jawaban").click()  # nothing chosen: the errors
    found.update({"evaluation (refused)": violations(page)} if violations(page) else {})
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
    ids = {key: bimtek[key].id for key in ("item", "registration", "operator", "evaluation", "test")}
    paths = [
        "/e/bimtek-uji/checkin", "/admin/", "/admin/acara/baru", "/admin/acara/bimtek-uji",
        "/admin/acara/bimtek-uji/peserta", f"/admin/acara/bimtek-uji/peserta/{ids['registration']}",
        "/admin/acara/bimtek-uji/impor", "/admin/acara/bimtek-uji/ubah", "/admin/acara/bimtek-uji/agenda",
        f"/admin/acara/bimtek-uji/agenda/{ids['item']}", "/admin/acara/bimtek-uji/opd",
        "/admin/acara/bimtek-uji/spj", "/admin/acara/bimtek-uji/materi", "/admin/pengguna",
        f"/admin/pengguna/{ids['operator']}", "/akun/sandi",
        "/admin/acara/bimtek-uji/evaluasi",
        *(f"/admin/acara/bimtek-uji/evaluasi/{ids[form]}{page}"
          for form in ("evaluation", "test") for page in ("", "/hasil", "/hapus")),
    ]
    found = check_pages(page, paths)
    # Pages reached by a form: a refused event form, a refused import, a confirmation.
    page.goto("/admin/acara/baru")
    page.get_by_role("button", name="Simpan").click()
    found.update({"event form (refused)": violations(page)} if violations(page) else {})
    page.goto("/admin/acara/bimtek-uji/peserta")
    page.get_by_role("button", name="Batalkan").first.click()
    found.update({"confirmation": violations(page)} if violations(page) else {})
    assert found == {}
