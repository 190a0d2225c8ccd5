"""What the demo events hold: fictitious people, and the reference event as it happened in June 2022.

Everything is written through the services a committee's clicks call (registration, check-in,
materials, evaluation, certificates), so the demo shows what the app makes, not what a script
typed into its tables. Every person is visibly fictitious: surnames that say so (Contoh, Fiktif,
Rekaan, Samaran), e-mails at example.go.id, phones 0811-0000-0xxx, NIPs born on 1 January.
"""
import io
import random
from datetime import date, datetime, time, timedelta

from flask import current_app
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from app.certificates.issuing import issue_certificates
from app.certificates.settings import save_certificate_settings
from app.checkin.services import check_in
from app.evaluation.defaults import add_default_set, speaker_sessions
from app.evaluation.services import QuestionSpec, add_questions, answerable, create_form, forms_of, submit_response
from app.events.services import local_datetime
from app.exports.paperwork import save_paperwork
from app.extensions import db
from app.materials.checks import UploadPolicy
from app.materials.services import Upload, upload_materials
from app.models import FormKind, QuestionKind, Registration, Visibility
from app.registration.services import event_organizations, register_participant
from app.storage import current_storage
from app.values import clean_participant

FIRST_NAMES = (
    "Ahmad", "Siti", "Budi", "Dewi", "Agus", "Rina", "Hendra", "Nur", "Eko", "Fitri", "Dedi", "Lestari",
    "Yusuf", "Ratna", "Rizki", "Wulan", "Iwan", "Maya", "Joko", "Intan", "Fajar", "Ayu", "Hadi", "Nisa",
)
SURNAMES = ("Contoh", "Fiktif", "Rekaan", "Samaran")
POSITIONS = (
    "Analis Kebijakan", "Pranata Komputer", "Perencana Ahli Muda", "Kepala Subbagian Program",
    "Kepala Seksi Pelayanan", "Pengelola Data", "Analis Sistem Informasi", "Sekretaris Camat",
)
RANKS = ("Penata Muda (III/a)", "Penata Muda Tk. I (III/b)", "Penata (III/c)", "Penata Tk. I (III/d)",
         "Pembina (IV/a)")
PRE_AND_POST_TEST = (
    ("Berapa dimensi kota cerdas dalam Gerakan Menuju 100 Smart City?",
     ["Empat", "Enam", "Delapan"], 1),
    ("Dokumen apa yang disusun setiap daerah dalam program ini?",
     ["Masterplan kota cerdas", "Laporan keuangan", "Rencana tata ruang"], 0),
    ("Program quick win adalah program yang …",
     ["Dikerjakan lima tahun", "Hasilnya terlihat dalam waktu singkat", "Dibiayai swasta"], 1),
    ("Dimensi smart governance terutama tentang …",
     ["Pelayanan publik dan tata kelola", "Pariwisata", "Pengelolaan sampah"], 0),
    ("Siapa yang menyusun analisis kesiapan daerah?",
     ["Hanya Diskominfo", "Seluruh OPD bersama tim pendamping", "Kementerian saja"], 1),
)
SUGGESTIONS = (
    "Waktu diskusi kelompok ditambah.", "Materi dibagikan sebelum acara.", "Sangat bermanfaat bagi OPD kami.",
    "Ruangan agak dingin.", "",
)


def person(number):
    """The fictitious participant number `number` (0, 1, …): the same person every time."""
    first = FIRST_NAMES[number % len(FIRST_NAMES)]
    surname = SURNAMES[number // len(FIRST_NAMES) % len(SURNAMES)]
    woman = first in ("Siti", "Dewi", "Rina", "Nur", "Fitri", "Lestari", "Ratna", "Wulan", "Maya", "Intan",
                      "Ayu", "Nisa")
    born = date(1970 + number % 26, 1, 1)
    data = {
        "full_name": f"{first} {surname}" + (f" {number // 96 + 1}" if number >= 96 else ""),
        "nip": f"{born:%Y%m%d}200001{2 if woman else 1}{number % 999 + 1:03d}",
        "position": POSITIONS[number % len(POSITIONS)],
        "rank": RANKS[number % len(RANKS)],
        "phone": f"+628110000{number:04d}",
        "email": f"{first.lower()}.{surname.lower()}{number}@example.go.id",
    }
    cleaned, errors = clean_participant(data)
    if errors:  # the names above are fixed: a rule that refuses them is a bug to see at once
        raise ValueError(f"demo person {number}: {errors}")
    return cleaned


def register_people(event, numbers, *, now):
    """Register the fictitious people `numbers`, spread over the event's OPDs in turn."""
    organizations = [organization for _taking_part, organization in event_organizations(event)]
    return [
        register_participant(event, organizations[index % len(organizations)].id, person(number), now=now,
                             source="import")
        for index, number in enumerate(numbers)
    ]


def pdf_file(title, lines):
    """A small one-page PDF: what a speaker's slides would be, for the demo's materials."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(60, 780, title)
    page.setFont("Helvetica", 11)
    for offset, line in enumerate(("Materi contoh untuk demo Hadir (fiktif).", *lines)):
        page.drawString(60, 750 - 18 * offset, line)
    page.showPage()
    page.save()
    out.seek(0)
    return out


def add_materials(event):
    """An event-wide public document, and slides for the first sessions with a speaker (participants only)."""
    policy, storage = UploadPolicy.from_config(current_app.config), current_storage()
    upload_materials(
        event, [Upload("kerangka-acuan-kegiatan.pdf", pdf_file("Kerangka Acuan Kegiatan", [event.title[:80]]),
                       "Kerangka Acuan Kegiatan (KAK)")],
        agenda_item_id=None, visibility=Visibility.PUBLIC, policy=policy, storage=storage,
    )
    lectures = [item for item, suggested, _has_form in speaker_sessions(event) if suggested][:3]
    for item in lectures:
        upload_materials(
            event, [Upload(f"paparan-{item.id}.pdf", pdf_file(item.title[:70], [item.speaker]),
                           f"Paparan: {item.title}")],
            agenda_item_id=item.id, visibility=Visibility.PARTICIPANTS, policy=policy, storage=storage,
        )


def add_tests(event, pre_window, post_window):
    """A pre-test and a post-test with the same five scored questions."""
    specs = [QuestionSpec(QuestionKind.SINGLE, text, choices=choices, correct=[answer])
             for text, choices, answer in PRE_AND_POST_TEST]
    for kind, title, (opens, closes) in ((FormKind.PRETEST, "Pre-test Kota Cerdas", pre_window),
                                         (FormKind.POSTTEST, "Post-test Kota Cerdas", post_window)):
        form = create_form(event, kind=kind, title=title, opens_at=opens, closes_at=closes, show_score=True)
        add_questions(form, specs)


def _at(event, day, hhmm, minutes=0):
    return local_datetime(event, day, hhmm) + timedelta(minutes=minutes)


def write_the_past(event):
    """The reference event as it happened: 90 people, two days of attendance (a few absent, a few
    recorded late), materials, the evaluation answered, a pre- and post-test with a gain,
    certificates with their JP, and the SPJ signature block. The caller commits."""
    first, second = (day.date for day in event.days)
    people = register_people(event, range(90), now=_at(event, first, "09:00") - timedelta(days=7))
    add_materials(event)
    _attend(event, people, absent={1: {5, 41, 77}, 2: {5, 23, 60, 88}}, late={1: {12, 50}, 2: {33}})
    add_default_set(event, [item.id for item, suggested, _has_form in speaker_sessions(event) if suggested])
    for form in forms_of(event):
        form.opens_at, form.closes_at = _at(event, second, "13:00"), _at(event, second, "23:59")
    add_tests(event, (_at(event, first, "07:00"), _at(event, first, "09:30")),
              (_at(event, second, "14:00"), _at(event, second, "16:30")))
    _answer(event, people, absent_on_second={5, 23, 60, 88}, when=_at(event, second, "15:00"))
    save_certificate_settings(event, {
        "signer_name": "Nama Pejabat Contoh, S.Kom., M.Si.", "signer_nip": "197001011995031001",
        "signer_position": "Kepala Dinas Komunikasi dan Informatika Kota Serang",
        "issue_place": "Serang", "issue_date": second,
    })
    issue_certificates(event, now=_at(event, second, "17:00") + timedelta(days=1))
    save_paperwork(event, signature_place_date=f"Serang, {second.day} Juni {second.year}",
                   signature_role="Ketua Panitia", signature_name="Nama Ketua Panitia Contoh, S.T.",
                   signature_nip="198001012005011001", transport_rate=150_000)


def _attend(event, people, *, absent, late):
    """Check everyone in on each day at the desk between 07:30 and 08:45, except the absent; the late ones
    were forgotten at the desk and recorded the week after (susulan)."""
    for number, day in enumerate(event.days, start=1):
        for index, registration in enumerate(people):
            if index in absent[number]:
                continue
            if index in late[number]:
                check_in(registration, day, method="manual",
                         now=_at(event, day.date, "10:00") + timedelta(days=3))
                continue
            when = _at(event, day.date, "07:30", minutes=(index * 37) % 75)
            check_in(registration, day, method="scanner", device=f"meja-{index % 2 + 1}", now=when)


def _answer(event, people, *, absent_on_second, when):
    """The evaluation forms by most of those present on day 2, and both tests by everyone present: the
    post-test scored higher than the pre-test (a fixed random generator: the same answers every time)."""
    chance = random.Random(2022)
    forms = forms_of(event)
    for index, registration in enumerate(people):
        if index in absent_on_second:
            continue
        for form in forms:
            if form.kind == FormKind.SPEAKER and chance.random() < 0.3:
                continue
            answered_at = form.opens_at + timedelta(minutes=30) if form.opens_at else when
            if answerable(form, registration, now=answered_at) is None:  # a session's form: present that day
                submit_response(form, registration, _answers(form, chance), now=answered_at)


def _answers(form, chance):
    """{question id: [value]} as the browser sends them."""
    right = {FormKind.PRETEST: 0.45, FormKind.POSTTEST: 0.85}.get(form.kind)
    submitted = {}
    for question in form.questions:
        if question.kind == QuestionKind.LIKERT:
            submitted[question.id] = [chance.choice("34455")]
        elif question.kind == QuestionKind.SINGLE and right is not None:
            correct = question.correct[0]
            wrong = [index for index in range(len(question.choices)) if index != correct]
            submitted[question.id] = [str(correct if chance.random() < right else chance.choice(wrong))]
        elif question.kind.is_text:
            submitted[question.id] = [chance.choice(SUGGESTIONS)]
    return submitted


def write_the_live_day(event, now):
    """The copy running today: 60 registered, 15 of them in already, the pre-test open now."""
    people = register_people(event, range(100, 160), now=now)
    today = event.days[0]
    for index, registration in enumerate(people[:15]):
        check_in(registration, today, method="scanner", device="meja-1", now=now - timedelta(minutes=15 - index))
    open_pre_test(event)


def open_pre_test(event):
    """The pre-test open from the first day's morning to the second day's start."""
    first, last = event.days[0].date, event.days[-1].date
    for form in forms_of(event):
        if form.kind == FormKind.PRETEST:
            form.opens_at = datetime.combine(first, time(0), tzinfo=event.tz)
            form.closes_at = _at(event, last, "09:00")


def count_registrations(event):
    return db.session.execute(
        db.select(db.func.count()).select_from(Registration).filter_by(event_id=event.id)
    ).scalar_one()

