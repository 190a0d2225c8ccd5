"""Evaluation data as .xlsx: a form's questions (out and back in), its raw answers, and the
"Evaluasi" and "Pre-Post Test" sheets of the attendance workbook.

Every text typed by a person goes through the attendance workbook's cell factories, so a
value that starts with = + - @ is written as text, never as a formula.
"""
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from app.evaluation.results import GainSummary, form_results, test_gain
from app.evaluation.services import QuestionSpec
from app.extensions import db
from app.formatting import decimal
from app.imports.xlsx_safety import UnsafeWorkbook, check_workbook
from app.models import Answer, EvaluationForm, FormKind, Organization, QuestionKind, Registration, Response
from app.xlsx.sheet import HEADER_ROW, Styles, finish_sheet, prepare_sheet

QUESTION_COLUMNS = ("No", "Jenis", "Pertanyaan", "Wajib", "Pilihan", "Kunci", "Poin")
KIND_NAMES = {
    QuestionKind.LIKERT: "skala 1-5",
    QuestionKind.SINGLE: "pilihan tunggal",
    QuestionKind.MULTIPLE: "pilihan ganda",
    QuestionKind.SHORT: "isian singkat",
    QuestionKind.LONG: "isian panjang",
}
KINDS_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()} | {kind.value: kind for kind in QuestionKind}
KIND_NAMES_ID = {
    FormKind.EVALUATION: "Evaluasi penyelenggaraan",
    FormKind.SPEAKER: "Evaluasi narasumber",
    FormKind.PRETEST: "Pre-test",
    FormKind.POSTTEST: "Post-test",
}
MAX_QUESTION_FILE_BYTES = 2 * 1024 * 1024
MAX_QUESTION_ROWS = 200
LETTERS = "ABCDEFGHIJKLMNOPQRST"


def _letters(indexes):
    return ", ".join(LETTERS[index] for index in indexes or [])


def write_questions(form, stream):
    """The questions of `form` as an .xlsx the committee can edit and import again."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Pertanyaan")
    prepare_sheet(ws, (5, 16, 60, 8, 50, 10, 8), landscape=True, row_height=30)
    cells = Styles(ws)
    cells.header_block(["DAFTAR PERTANYAAN", form.title, "Jenis: skala 1-5, pilihan tunggal, pilihan ganda, "
                        "isian singkat, isian panjang. Pilihan: satu per baris. Kunci: huruf pilihan yang benar."],
                       len(QUESTION_COLUMNS))
    ws.append([cells.heading(title) for title in QUESTION_COLUMNS])
    number = 0
    for number, question in enumerate(form.questions, start=1):
        ws.append([
            cells.number(number), cells.text(KIND_NAMES[QuestionKind(question.kind)]), cells.text(question.text),
            cells.text("ya" if question.required else "tidak"), cells.text("\n".join(question.choices or [])),
            cells.text(_letters(question.correct)), cells.number(question.points if question.correct else None),
        ])
    finish_sheet(ws, len(QUESTION_COLUMNS), HEADER_ROW + number)
    wb.save(stream)


class QuestionFileRefused(Exception):
    """The file cannot be read as a question list: a code; or rows with problems [(row, message code)]."""

    def __init__(self, code, problems=None):
        super().__init__(code)
        self.code = code
        self.problems = problems or []


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def correct_indexes(text):
    indexes = []
    for part in text.replace(";", ",").split(","):
        part = part.strip().upper()
        if not part:
            continue
        if len(part) == 1 and part in LETTERS:
            indexes.append(LETTERS.index(part))
        elif part.isascii() and part.isdigit() and 1 <= int(part) <= len(LETTERS):
            indexes.append(int(part) - 1)
        else:
            raise ValueError(part)
    return indexes


def _header_row(rows):
    """The index of the row holding the column titles, and {title: column index}."""
    for index, row in enumerate(rows):
        titles = {_cell_text(value).lower(): column for column, value in enumerate(row)}
        if "pertanyaan" in titles and "jenis" in titles:
            return index, titles
    raise QuestionFileRefused("no_header")


def read_questions(stream):
    """QuestionSpecs from an .xlsx made like write_questions' (its header row anywhere in the first rows).

    Raises QuestionFileRefused: a code for an unreadable file, or every bad row at once.
    """
    data = stream.read(MAX_QUESTION_FILE_BYTES + 1)
    if len(data) > MAX_QUESTION_FILE_BYTES:
        raise QuestionFileRefused("too_big")
    try:
        check_workbook(io.BytesIO(data))  # bombs, DTDs and entities, before openpyxl expands anything
    except UnsafeWorkbook:
        raise QuestionFileRefused("unreadable") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > 20 * MAX_QUESTION_FILE_BYTES:
                raise QuestionFileRefused("unreadable")
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except QuestionFileRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise QuestionFileRefused("unreadable") from None
    try:
        rows = []
        for row in wb.worksheets[0].iter_rows(values_only=True, max_col=len(QUESTION_COLUMNS) + 5):
            rows.append(row)
            if len(rows) > MAX_QUESTION_ROWS + 10:
                raise QuestionFileRefused("too_many")
    finally:
        wb.close()
    start, titles = _header_row(rows[:10])
    specs, problems = [], []
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        def value(title, row=row):
            column = titles.get(title.lower())
            return _cell_text(row[column]) if column is not None and column < len(row) else ""

        if not value("Pertanyaan") and not value("Jenis"):
            continue
        kind = KINDS_BY_NAME.get(value("Jenis").lower())
        if kind is None:
            problems.append((number, "question_kind_unknown"))
            continue
        try:
            correct = correct_indexes(value("Kunci"))
        except ValueError:
            problems.append((number, "correct_unknown"))
            continue
        points_text = value("Poin") or "1"
        if not (points_text.isascii() and points_text.isdigit()):
            problems.append((number, "points_range"))
            continue
        choices = [line for line in value("Pilihan").replace(" | ", "\n").splitlines() if line.strip()]
        specs.append((number, QuestionSpec(kind.value, value("Pertanyaan"), value("Wajib").lower() != "tidak",
                                           choices or None, correct or None, int(points_text))))
    if problems:
        raise QuestionFileRefused("rows", problems)
    if not specs:
        raise QuestionFileRefused("empty")
    return specs


def write_raw_answers(form, stream):
    """Every response to `form`, one row each with a column per question (names only for a named form)."""
    questions = list(form.questions)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Jawaban")
    named = not form.anonymous
    person = ["Nama", "NIP", "OPD"] if named else []
    titles = ["No", *person, *(f"{n}. {question.text}" for n, question in enumerate(questions, start=1))]
    if form.is_test:
        titles += ["Skor", "Skor maks."]
    widths = (5, *((28, 21, 30) if named else ()), *(24 for _ in questions), *((8, 10) if form.is_test else ()))
    prepare_sheet(ws, widths, landscape=True, row_height=30)
    cells = Styles(ws)
    cells.header_block(["JAWABAN " + KIND_NAMES_ID[FormKind(form.kind)].upper(), form.title, form.event.title,
                        "Formulir anonim: jawaban tidak terhubung ke nama." if form.anonymous else ""], len(titles))
    ws.append([cells.heading(title) for title in titles])
    query = (
        db.select(Response.id, Response.score, Response.max_score, Registration.full_name, Registration.nip,
                  Organization.name)
        .outerjoin(Registration, Registration.id == Response.registration_id)
        .outerjoin(Organization, Organization.id == Registration.organization_id)
        .where(Response.form_id == form.id).order_by(Response.id)
    )
    answers: dict[int, dict[int, list[str]]] = {}
    for response_id, question_id, value in db.session.execute(
        db.select(Answer.response_id, Answer.question_id, Answer.value).where(Answer.form_id == form.id)
    ):
        answers.setdefault(response_id, {}).setdefault(question_id, []).append(value)
    rows = []
    for response_id, score, possible, name, nip, organization in db.session.execute(query):
        given = answers.get(response_id, {})
        shown = [_shown_answer(question, given.get(question.id, [])) for question in questions]
        rows.append((shown, score, possible, name, nip, organization))
    if form.anonymous:
        # Ids, and so the order by id, follow the order of submission, which a web server's log ties to
        # people: an anonymous form's rows are sorted by their answers instead.
        rows.sort(key=lambda row: (row[0], row[1] or 0))
    number = 0
    for number, (shown, score, possible, name, nip, organization) in enumerate(rows, start=1):
        row = [cells.number(number)]
        if named:
            row += [cells.text(name), cells.code(nip), cells.text(organization)]
        row += [cells.text(value) for value in shown]
        if form.is_test:
            row += [cells.number(score), cells.number(possible)]
        ws.append(row)
    finish_sheet(ws, len(titles), HEADER_ROW + number)
    wb.save(stream)


def _shown_answer(question, values):
    if QuestionKind(question.kind).has_choices:
        choices = question.choices or []
        return "; ".join(choices[int(value)] for value in values if int(value) < len(choices))
    return "; ".join(values)


# The attendance workbook's sheets ----------------------------------------------------------------

EVALUATION_COLUMNS = ("No", "Formulir", "Narasumber", "Pertanyaan", "N", "Rata-rata", "1", "2", "3", "4", "5",
                      "Pilihan", "Jumlah", "%")
GAIN_COLUMNS = ("No", "Nama", "NIP", "OPD", "Pre-test (%)", "Post-test (%)", "Kenaikan")


@dataclass
class EvaluationSheets:
    """The "Evaluasi" and "Pre-Post Test" sheets of one event, written after the attendance sheets."""

    event_id: int
    title: str

    def write(self, wb):
        forms = db.session.execute(
            db.select(EvaluationForm).where(
                EvaluationForm.event_id == self.event_id,
                EvaluationForm.kind.in_([FormKind.EVALUATION, FormKind.SPEAKER]),
            ).order_by(EvaluationForm.id)
        ).scalars().all()
        if forms:
            self._write_evaluation(wb, forms)
        gain = test_gain(self.event_id)
        if gain.pre_form or gain.post_form:
            self._write_gain(wb, gain)

    def _write_evaluation(self, wb, forms):
        ws = wb.create_sheet("Evaluasi")
        prepare_sheet(ws, (5, 30, 26, 50, 7, 10, 6, 6, 6, 6, 6, 30, 8, 8), landscape=True, row_height=24)
        cells = Styles(ws)
        cells.header_block(["HASIL EVALUASI", self.title, "Skala 1 (sangat kurang) sampai 5 (sangat baik); "
                            "pertanyaan pilihan: satu baris per pilihan, % dari yang menjawab pertanyaan itu"],
                           len(EVALUATION_COLUMNS))
        ws.append([cells.heading(title) for title in EVALUATION_COLUMNS])
        number = 0
        for form in forms:
            speaker = form.agenda_item.speaker if form.agenda_item is not None else ""
            results = form_results(form)
            if results.withheld:  # an anonymous form below k respondents: no answer, as on its page
                number += 1
                ws.append([cells.number(number), cells.text(form.title), cells.text(speaker),
                           cells.text(f"(formulir anonim: hasil ditampilkan mulai {form.min_respondents} responden)"),
                           cells.number(results.responses)])
            for result in results.questions:
                kind = QuestionKind(result.question.kind)
                about = [cells.text(form.title), cells.text(speaker), cells.text(result.question.text),
                         cells.number(result.answered)]
                if kind == QuestionKind.LIKERT:
                    number += 1
                    average = result.mean
                    ws.append([
                        cells.number(number), *about, cells.number(round(average, 2) if average is not None else None),
                        *(cells.number(count) for _value, count in result.distribution()),
                    ])
                elif kind.has_choices:
                    for choice, count in result.distribution():
                        number += 1
                        share = round(100 * count / result.answered, 1) if result.answered else None
                        ws.append([cells.number(number), *about, *(cells.number(None) for _ in range(6)),
                                   cells.text(choice), cells.number(count), cells.number(share)])
        finish_sheet(ws, len(EVALUATION_COLUMNS), HEADER_ROW + number)

    def _write_gain(self, wb, gain: GainSummary):
        ws = wb.create_sheet("Pre-Post Test")
        prepare_sheet(ws, (5, 30, 21, 40, 13, 13, 11), landscape=False, row_height=20)
        cells = Styles(ws)
        summary = (f"Rata-rata kenaikan: {decimal(gain.mean, locale='id')} poin; median "
                   f"{decimal(gain.median, locale='id')}; meningkat: {decimal(gain.improved_share, locale='id')}% "
                   "peserta" if gain.gains else "")
        cells.header_block(["HASIL PRE-TEST DAN POST-TEST", self.title, summary], len(GAIN_COLUMNS))
        ws.append([cells.heading(title) for title in GAIN_COLUMNS])
        number = 0
        for number, row in enumerate(gain.rows, start=1):
            ws.append([cells.number(number), cells.text(row.full_name), cells.code(row.nip),
                       cells.text(row.organization), cells.number(row.pre), cells.number(row.post),
                       cells.number(row.gain)])
        finish_sheet(ws, len(GAIN_COLUMNS), HEADER_ROW + number)
