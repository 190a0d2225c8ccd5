"""The usual evaluation of a Bimtek, offered with one click: the organisation and each speaker.

The questions are Indonesian whatever the screen language: they go into the committee's report.
"""
from app.evaluation.services import QuestionSpec, add_questions, create_form
from app.extensions import db
from app.models import AgendaItem, EvaluationForm, FormKind

EVENT_QUESTIONS = (
    "Kesesuaian materi dengan kebutuhan tugas Anda",
    "Penguasaan materi oleh narasumber",
    "Cara penyampaian materi",
    "Ketepatan waktu pelaksanaan",
    "Fasilitas tempat dan sarana",
    "Konsumsi",
    "Kepuasan Anda secara keseluruhan",
)
EVENT_SUGGESTION = "Saran untuk penyelenggaraan berikutnya"
SPEAKER_QUESTIONS = (
    "Penguasaan materi",
    "Cara penyampaian dan kejelasan",
    "Kesesuaian materi dengan kebutuhan",
    "Ketepatan waktu",
    "Tanggapan atas pertanyaan peserta",
)
SPEAKER_SUGGESTION = "Saran untuk narasumber"


def _likert_then_suggestion(likert, suggestion):
    return [QuestionSpec("likert", text) for text in likert] + [QuestionSpec("long", suggestion, required=False)]


def add_default_set(event):
    """An anonymous 'Evaluasi Penyelenggaraan' and an 'Evaluasi Narasumber' per agenda item with a
    speaker that has none yet. Returns the forms made."""
    existing = set(db.session.execute(
        db.select(EvaluationForm.kind, EvaluationForm.agenda_item_id).filter_by(event_id=event.id)
    ).tuples())
    made = []
    if (FormKind.EVALUATION, None) not in existing:
        form = create_form(event, kind=FormKind.EVALUATION, title="Evaluasi Penyelenggaraan", anonymous=True)
        add_questions(form, _likert_then_suggestion(EVENT_QUESTIONS, EVENT_SUGGESTION))
        made.append(form)
    items = db.session.execute(
        db.select(AgendaItem).filter_by(event_id=event.id).order_by(AgendaItem.starts_at)
    ).scalars()
    for item in items:
        if not item.speaker.strip() or (FormKind.SPEAKER, item.id) in existing:
            continue
        title = f"Evaluasi Narasumber: {item.speaker} — {item.title}"[:300]
        form = create_form(event, kind=FormKind.SPEAKER, title=title, agenda_item=item, anonymous=True)
        add_questions(form, _likert_then_suggestion(SPEAKER_QUESTIONS, SPEAKER_SUGGESTION))
        made.append(form)
    return made
