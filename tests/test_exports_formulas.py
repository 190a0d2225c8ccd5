"""No text from a person becomes a formula in any workbook Hadir writes (Hypothesis).

Every export is built with hostile strings in each field a person types (names, OPD, position,
answers, questions, titles, the signature block, the tenant's names) and read back with openpyxl:
no cell is a formula unless the app wrote it (the transport amounts and the totals), and a text
that starts like a formula carries the quotePrefix style.
"""
import io
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from app.certificates.ledger import LedgerLine, LedgerPerson, build_ledger_workbook
from app.certificates.sheet import build_certificate_sheet
from app.evaluation.spreadsheets import EvaluationSheets, write_questions, write_raw_answers
from app.exports.sheets import (
    AttendanceData,
    AttendeeRow,
    DaySheet,
    ParticipantRow,
    RekapRow,
    SignatureBlock,
    TransportRow,
    TransportSheet,
)
from app.exports.workbook import build_attendance_workbook
from app.extensions import db
from app.imports.reader import write_template
from app.models import Answer, EvaluationForm
from app.overview.services import EventFigures
from app.overview.workbook import build_overview_workbook
from app.xlsx.cells import FORMULA_LEADS, clean_text
from tests.evaluation_support import add_question, answers_for, create_form

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x","y")',
           "\x01=2+2", "=", "-"]
TEXTS = st.one_of(st.sampled_from(HOSTILE),
                  st.tuples(st.sampled_from(("=", "+", "-", "@", "\t", "\r", "\t=", "\x02=")),
                            st.text(max_size=12)).map("".join))
PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def assert_no_formula_but(stream, allowed=()):
    """Every cell of every sheet: a formula only if it matches an app-written prefix in `allowed`;
    a text that starts like a formula carries quotePrefix."""
    stream.seek(0)
    workbook = load_workbook(stream)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert str(cell.value).startswith(allowed) and allowed, (sheet.title, cell.coordinate, cell.value)
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    return workbook


@PROPERTY
@given(texts=st.lists(TEXTS, min_size=12, max_size=12))
def test_attendance_workbook_certificate_and_transport_sheets(texts):
    name, nip, position, organization, phone, rank, email, title, venue, place, role, signer = texts
    moment = datetime(2022, 6, 13, 8, 0)
    certificates = SimpleNamespace(write=lambda wb: build_certificate_sheet(
        wb, title, [(name, name, nip, organization, 2, date(2022, 6, 14), None)]))
    data = AttendanceData(
        title=title, organizer=organization, venue=venue, tz_label="WIB",
        days=[DaySheet(1, date(2022, 6, 13), [AttendeeRow(name, nip, position, organization, phone, moment)])],
        rekap=[RekapRow(organization, 5, 1, (1,), 1)],
        participants=[ParticipantRow(name, nip, position, rank, organization, phone, email, False, (moment,))],
        signature=SignatureBlock(place, role, signer, nip), show_phone=True,
        transport=TransportSheet(150000, [TransportRow(name, nip, rank, organization, 1)]),
        extra_sheets=[certificates],
    )
    stream = io.BytesIO()
    build_attendance_workbook(data, stream)
    workbook = assert_no_formula_but(stream, allowed=("=SUM(", "=F"))
    assert workbook["Daftar Hadir Hari 1"]["B7"].value == clean_text(name)
    assert "Sertifikat" in workbook.sheetnames and "Penerimaan Uang Transport" in workbook.sheetnames


@PROPERTY
@given(texts=st.lists(TEXTS, min_size=4, max_size=4))
def test_jp_ledger(texts):
    key, name, organization, event_title = texts
    person = LedgerPerson(key, True, name, organization, [LedgerLine(2022, event_title, key, date(2022, 6, 14), 2)])
    stream = io.BytesIO()
    build_ledger_workbook([person], stream, year=2022)
    assert_no_formula_but(stream)


@PROPERTY
@given(texts=st.lists(TEXTS, min_size=2, max_size=2))
def test_overview_workbook(app, texts):  # the column titles are translated: a request's locale
    tenant, title = texts
    stream = io.BytesIO()
    with app.test_request_context():
        build_overview_workbook([EventFigures(tenant, "uji", title, [date(2022, 6, 13)], present_per_day=[1])],
                                stream)
    assert_no_formula_but(stream)


@PROPERTY
@given(texts=st.lists(TEXTS, min_size=4, max_size=4))
def test_question_export(texts):
    title, text, first, second = texts
    question = SimpleNamespace(kind="single", text=text, required=True, choices=[first, second], correct=[0],
                               points=1)
    stream = io.BytesIO()
    write_questions(SimpleNamespace(title=title, questions=[question]), stream)
    assert_no_formula_but(stream)


@PROPERTY
@given(texts=st.lists(TEXTS, min_size=2, max_size=2))
def test_import_template(texts):
    short_name, name = texts
    stream = io.BytesIO()
    write_template(stream, [(short_name, name)])
    assert_no_formula_but(stream)


@pytest.fixture
def answered_form(client, make, auth):
    """A named evaluation with a scale, a choice and a free-text question, answered by one person present."""
    make.user("admin@example.go.id")
    auth.login("admin@example.go.id")
    event = make.event()
    form_id = create_form(client, event)
    add_question(client, event, form_id, text="Kesesuaian materi")
    add_question(client, event, form_id, kind="single", text="Sesi favorit", choices="Pagi\nSiang")
    add_question(client, event, form_id, kind="long", text="Saran", required="")
    form = db.session.get(EvaluationForm, form_id)
    person = make.registration(event)
    from app.checkin.services import check_in
    check_in(person, event.days[0], method="scanner", now=datetime(2022, 6, 13, 1, 0, tzinfo=UTC))
    db.session.commit()
    response = client.post(f"/tiket/{person.ticket_token}/evaluasi/{form.id}",
                           data=answers_for(form, "5", "0", "Bagus"))
    assert response.status_code == 200
    return event, form, person


@PROPERTY
@given(texts=st.lists(TEXTS, min_size=7, max_size=7))
def test_raw_answers_and_evaluation_sheets(answered_form, texts):
    event, form, person = answered_form
    name, organization, position, question_text, choice, free_text, form_title = texts  # a NIP is digits only
    person.full_name, person.organization.name, person.position = name, organization, position
    likert, single, long = form.questions
    likert.text, single.choices, form.title = question_text, [choice, "Siang"], form_title
    db.session.execute(db.update(Answer).where(Answer.question_id == long.id).values(value=free_text))
    db.session.flush()
    stream = io.BytesIO()
    write_raw_answers(form, stream)
    answers = assert_no_formula_but(stream)["Jawaban"]
    assert clean_text(free_text) in [cell.value for cell in answers[7]]
    stream = io.BytesIO()
    workbook = Workbook(write_only=True)
    EvaluationSheets(event.id, event.title).write(workbook)
    workbook.save(stream)
    assert_no_formula_but(stream)
    db.session.rollback()
