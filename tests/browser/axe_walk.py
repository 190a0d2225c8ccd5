"""The walk through the pages with axe-core (tests/browser/vendor/axe-core): the event every page is shown
for, the console's pages, signing in, the violations axe finds. Shared by the accessibility and the
console-reach browser tests; their fixtures (`axe_context`, `bimtek`) are in tests/browser/conftest.py."""
from datetime import UTC, datetime
from pathlib import Path

from app.audit import record_access
from app.auth.services import issue_api_token
from app.certificates.issuing import issue_certificates
from app.checkin.services import check_in
from app.delegates import services as delegates
from app.evaluation import services as evaluations
from app.evaluation.defaults import add_default_set
from app.extensions import db
from app.messages.reminders import schedule
from app.models import KIND_FREE
from app.privacy.services import request_deletion
from app.waitlist import services as waitlist
from tests import materials_support as samples
from tests.certificates_support import attend
from tests.factories import OPEN_UNTIL, PASSWORD, event_organization_list

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


SERIOUS = ("serious", "critical")


def violations(page):
    """axe's serious and critical violations on the page as it is now: 'rule: target …' lines."""
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{rule['id']} ({rule['impact']}): {', '.join(str(node['target']) for node in rule['nodes'][:4])}"
        for rule in result["violations"] if rule["impact"] in SERIOUS
    ]


def bimtek_event(make):
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


def log_in(page, email="admin@example.go.id"):
    page.goto("/masuk/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("/")  # the home page; "**/" matches /masuk/ itself
