"""The usual evaluation of a Bimtek, offered with one click: the organisation and the chosen speakers.

The questions are Indonesian whatever the screen language: they go into the committee's report.
"""
import re

from app.evaluation.services import QuestionSpec, add_questions, create_form, default_window
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
# Agenda items that are no lecture (registration, breaks, the opening) get no speaker form by default.
NOT_A_LECTURE = re.compile(
    r"\b(registrasi|daftar ulang|pendaftaran|istirahat|ishoma|rehat|coffee break|makan siang|pembukaan|sambutan)\b",
    re.IGNORECASE,
)


def _likert_then_suggestion(likert, suggestion):
    return [QuestionSpec("likert", text) for text in likert] + [QuestionSpec("long", suggestion, required=False)]


def _session_key(item):
    return (" ".join(item.speaker.split()).casefold(), " ".join(item.title.split()).casefold())


def speaker_sessions(event):
    """The distinct sessions with a speaker, as [(first agenda item, suggested, has a form)]: a session
    held on several days (same speaker and title) is one. Suggested: not registration, a break or the opening."""
    items = db.session.execute(
        db.select(AgendaItem).filter_by(event_id=event.id).order_by(AgendaItem.starts_at, AgendaItem.id)
    ).scalars()
    with_form = set(db.session.execute(
        db.select(AgendaItem).join(EvaluationForm, EvaluationForm.agenda_item_id == AgendaItem.id)
        .where(EvaluationForm.event_id == event.id, EvaluationForm.kind == FormKind.SPEAKER)
    ).scalars())
    sessions: dict[tuple, list] = {}
    for item in items:
        if not item.speaker.strip():
            continue
        key = _session_key(item)
        if key not in sessions:
            sessions[key] = [item, not NOT_A_LECTURE.search(item.title), False]
    for item in with_form:
        if _session_key(item) in sessions:
            sessions[_session_key(item)][2] = True
    return [tuple(session) for session in sessions.values()]


def add_default_set(event, agenda_item_ids=()):
    """An anonymous 'Evaluasi Penyelenggaraan' if the event has none, and an 'Evaluasi Narasumber' for
    each session among `agenda_item_ids` that has a speaker and no form yet, each opening at its moment
    (default_window) and answered by those who were there. Returns the forms made."""
    made = []
    has_general = db.session.execute(
        db.select(EvaluationForm.id).filter_by(event_id=event.id, kind=FormKind.EVALUATION, agenda_item_id=None)
    ).first() is not None
    if not has_general:
        opens_at, closes_at = default_window(event, FormKind.EVALUATION)
        form = create_form(event, kind=FormKind.EVALUATION, title="Evaluasi Penyelenggaraan", anonymous=True,
                           opens_at=opens_at, closes_at=closes_at)
        add_questions(form, _likert_then_suggestion(EVENT_QUESTIONS, EVENT_SUGGESTION))
        made.append(form)
    wanted = set(agenda_item_ids)
    for item, _suggested, has_form in speaker_sessions(event):
        if item.id not in wanted or has_form:
            continue
        title = f"Evaluasi Narasumber: {item.speaker} — {item.title}"[:300]
        opens_at, closes_at = default_window(event, FormKind.SPEAKER, item)
        form = create_form(event, kind=FormKind.SPEAKER, title=title, agenda_item=item, anonymous=True,
                           opens_at=opens_at, closes_at=closes_at)
        add_questions(form, _likert_then_suggestion(SPEAKER_QUESTIONS, SPEAKER_SUGGESTION))
        made.append(form)
    return made
