"""Building an event's evaluation forms and tests, and answering them from the ticket link.

Services take plain arguments and leave the commit to the caller. A form's questions are
fixed once it has a response: the answers already given must keep meaning what they meant.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from app.evaluation.batches import hold_answers, pending_counts
from app.extensions import db
from app.models import (
    STATUS_REGISTERED,
    AgendaItem,
    Answer,
    Attendance,
    Completion,
    EvaluationForm,
    FormKind,
    Question,
    QuestionKind,
    Response,
    utcnow,
)

LIKERT_VALUES = ("1", "2", "3", "4", "5")
MAX_QUESTIONS = 100
MAX_CHOICES = 20
MAX_CHOICE_LENGTH = 300
MAX_QUESTION_LENGTH = 1000
TEXT_LIMITS = {QuestionKind.SHORT: 300, QuestionKind.LONG: 4000}
# k of an anonymous form: answers are written in batches of at least k and shown from k respondents on.
MIN_RESPONDENTS = 5
MIN_RESPONDENTS_RANGE = (3, 500)  # as the database's ck_evaluation_forms_min_respondents_in_range


class EvaluationRefused(Exception):
    """Why a form or question was not saved: a code, and the form field it concerns if any."""

    def __init__(self, code, field=None, detail=None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.detail = detail


class AnswersInvalid(Exception):
    """Some answers are missing or not possible: {question id: code}. Nothing was stored."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class AlreadyAnswered(Exception):
    """This registration has answered this form before (nothing new was stored)."""


def forms_of(event):
    return db.session.execute(
        db.select(EvaluationForm).filter_by(event_id=event.id).order_by(EvaluationForm.id)
    ).scalars().all()


def find_form(event, form_id):
    return db.session.execute(
        db.select(EvaluationForm).filter_by(id=form_id, event_id=event.id)
    ).scalar_one_or_none()


def find_question(form, question_id):
    return db.session.execute(db.select(Question).filter_by(id=question_id, form_id=form.id)).scalar_one_or_none()


def response_counts(forms):
    """{form id: number of answers given} for `forms` (written, or waiting for their batch), in two queries."""
    if not forms:
        return {}
    form_ids = [form.id for form in forms]
    counts = dict(db.session.execute(
        db.select(Response.form_id, func.count()).where(Response.form_id.in_(form_ids)).group_by(Response.form_id)
    ).tuples().all())
    for form_id, waiting in pending_counts(form_ids).items():
        counts[form_id] = counts.get(form_id, 0) + waiting
    return counts


def has_responses(form):
    """Whether anyone has answered `form`: a response, or a completion whose anonymous answer is still waiting
    for its batch (an anonymous response outlives its completion when a registration is deleted)."""
    answered = db.select(Completion.form_id).filter_by(form_id=form.id).union_all(
        db.select(Response.form_id).filter_by(form_id=form.id)
    ).limit(1)
    return db.session.execute(answered).first() is not None


def _check_form_fields(event, kind, agenda_item, opens_at, closes_at, anonymous, min_respondents=MIN_RESPONDENTS):
    kind = FormKind(kind)
    if not MIN_RESPONDENTS_RANGE[0] <= min_respondents <= MIN_RESPONDENTS_RANGE[1]:
        raise EvaluationRefused("min_respondents_range", "min_respondents")
    if kind.is_test and anonymous:
        raise EvaluationRefused("test_not_anonymous", "anonymous")
    if kind == FormKind.SPEAKER and agenda_item is None:
        raise EvaluationRefused("speaker_needs_session", "agenda_item")
    if agenda_item is not None and agenda_item.event_id != event.id:
        raise EvaluationRefused("speaker_needs_session", "agenda_item")
    if opens_at and closes_at and closes_at <= opens_at:
        raise EvaluationRefused("closes_before_opens", "closes_at")
    return kind


def _midnight(event, day_date):
    return datetime.combine(day_date, time(0), tzinfo=event.tz)


def default_window(event, kind, agenda_item=None):
    """(opens_at, closes_at) of a new form of `kind` whose window the committee left empty: each form at its
    moment. The pre-test from the start of the first session until the second starts; the post-test on the
    last day, from the start of its last session; a speaker form from its session's start; the event
    evaluation on the last day, from its first session. Without an agenda, the days' midnights."""
    kind = FormKind(kind)
    if kind == FormKind.SPEAKER:
        return (agenda_item.starts_at if agenda_item is not None else None), None
    if not event.days:
        return None, None
    first_day, last_day = event.days[0], event.days[-1]
    items = sorted(event.agenda_items, key=lambda item: (item.starts_at, item.id))
    on_last_day = [item for item in items if item.event_day_id == last_day.id]
    if kind == FormKind.PRETEST:
        if not items:
            return _midnight(event, first_day.date), _midnight(event, first_day.date + timedelta(days=1))
        opens = items[0].starts_at
        later = [item.starts_at for item in items[1:] if item.starts_at > opens]
        return opens, (later[0] if later else _midnight(event, first_day.date + timedelta(days=1)))
    if kind == FormKind.POSTTEST:
        return (on_last_day[-1].starts_at if on_last_day else _midnight(event, last_day.date)), None
    return (on_last_day[0].starts_at if on_last_day else _midnight(event, last_day.date)), None


def create_form(event, *, kind, title, agenda_item=None, opens_at=None, closes_at=None, anonymous=False,
                show_score=False, copy_from=None, present_only=True, min_respondents=MIN_RESPONDENTS):
    """A new form of `event`, with the questions of `copy_from` (a form of the same event) if given.
    An event has at most one pre-test and one post-test. `present_only`: answered only by people checked in."""
    kind = _check_form_fields(event, kind, agenda_item, opens_at, closes_at, anonymous, min_respondents)
    form = EvaluationForm(
        event_id=event.id, kind=kind, title=title.strip(), agenda_item_id=agenda_item.id if agenda_item else None,
        opens_at=opens_at, closes_at=closes_at, anonymous=anonymous, show_score=show_score and kind.is_test,
        present_only=present_only, min_respondents=min_respondents,
    )
    try:
        with db.session.begin_nested():
            db.session.add(form)
    except IntegrityError:
        # The database keeps one pre-test and one post-test per event (uq_evaluation_forms_one_test_each),
        # also when two admins create one at the same moment; the fields were checked above.
        raise EvaluationRefused("test_exists", "kind") from None
    if copy_from is not None:
        if copy_from.event_id != event.id:
            raise EvaluationRefused("unknown_form", "copy_from")
        for question in copy_from.questions:
            db.session.add(Question(
                form_id=form.id, position=question.position, kind=question.kind, text=question.text,
                required=question.required, choices=question.choices,
                correct=question.correct if kind.is_test else None, points=question.points,
            ))
        db.session.flush()
    return form


def update_form(form, *, title, agenda_item=None, opens_at=None, closes_at=None, anonymous=False, show_score=False,
                present_only=True, min_respondents=None):
    """Change a form's settings; whether it is anonymous cannot change once someone has answered. k
    (`min_respondents`) may: written batches stay as they are, and the results show from the new k."""
    if min_respondents is None:
        min_respondents = form.min_respondents
    kind = _check_form_fields(form.event, form.kind, agenda_item, opens_at, closes_at, anonymous, min_respondents)
    if anonymous != form.anonymous and has_responses(form):
        raise EvaluationRefused("anonymity_fixed", "anonymous")
    form.title = title.strip()
    form.agenda_item_id = agenda_item.id if agenda_item else None
    form.opens_at, form.closes_at = opens_at, closes_at
    form.anonymous = anonymous
    form.show_score = show_score and kind.is_test
    form.present_only = present_only
    form.min_respondents = min_respondents
    db.session.flush()
    return form


def delete_form(form):
    """Delete a form with its questions and every answer given to it."""
    db.session.delete(form)


@dataclass
class QuestionSpec:
    """A question as typed by the committee (console or .xlsx), before it is checked."""

    kind: str
    text: str
    required: bool = True
    choices: list | None = None
    correct: list | None = None  # indexes into choices
    points: int = 1


def check_question(form, spec):
    """The Question fields of `spec` for `form`, or EvaluationRefused (code, field)."""
    try:
        kind = QuestionKind(spec.kind)
    except ValueError:
        raise EvaluationRefused("question_kind_unknown", "kind") from None
    text = " ".join((spec.text or "").split())
    if not text:
        raise EvaluationRefused("question_text_required", "text")
    if len(text) > MAX_QUESTION_LENGTH:
        raise EvaluationRefused("question_text_too_long", "text")
    choices = None
    correct = None
    if kind.has_choices:
        choices = [" ".join(choice.split()) for choice in (spec.choices or []) if choice and choice.strip()]
        if len(choices) < 2:
            raise EvaluationRefused("choices_too_few", "choices")
        if len(choices) > MAX_CHOICES or any(len(choice) > MAX_CHOICE_LENGTH for choice in choices):
            raise EvaluationRefused("choices_too_many", "choices")
        if form.is_test and spec.correct:
            correct = sorted(set(spec.correct))
            if any(not 0 <= index < len(choices) for index in correct):
                raise EvaluationRefused("correct_unknown", "correct")
            if kind == QuestionKind.SINGLE and len(correct) != 1:
                raise EvaluationRefused("correct_one", "correct")
    elif spec.correct and form.is_test:
        raise EvaluationRefused("correct_needs_choices", "correct")
    points = spec.points if spec.points is not None else 1
    if not 0 <= points <= 1000:
        raise EvaluationRefused("points_range", "points")
    return {"kind": kind, "text": text, "required": bool(spec.required), "choices": choices, "correct": correct,
            "points": points if correct else 0}


def _ensure_editable(form):
    if has_responses(form):
        raise EvaluationRefused("questions_fixed")


def add_questions(form, specs):
    """Append questions to `form` (all checked first: one bad question and none is added)."""
    _ensure_editable(form)
    checked = [check_question(form, spec) for spec in specs]
    count = db.session.execute(db.select(func.count()).select_from(Question).filter_by(form_id=form.id)).scalar_one()
    if count + len(checked) > MAX_QUESTIONS:
        raise EvaluationRefused("questions_too_many")
    last = db.session.execute(
        db.select(func.max(Question.position)).filter_by(form_id=form.id)
    ).scalar_one() or 0
    added = []
    for offset, fields in enumerate(checked, start=1):
        question = Question(form_id=form.id, position=last + offset, **fields)
        db.session.add(question)
        added.append(question)
    db.session.flush()
    return added


def update_question(form, question, spec):
    """Rewrite `question` of `form` from `spec` (kind, text, choices, key, required), in its place."""
    _ensure_editable(form)
    for name, value in check_question(form, spec).items():
        setattr(question, name, value)
    db.session.flush()
    return question


def delete_question(form, question):
    _ensure_editable(form)
    db.session.delete(question)


def move_question(form, question, step):
    """Swap `question` with its neighbour above (step -1) or below (step 1)."""
    _ensure_editable(form)
    ordered = list(form.questions)
    index = ordered.index(question)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    db.session.flush()


# Answering ----------------------------------------------------------------------------------


def _parse_answer(question, values):
    """The stored values of one question's answer from what the browser sent, or an error code."""
    kind = QuestionKind(question.kind)
    values = [value.strip() for value in values if isinstance(value, str) and value.strip()]
    if not values:
        return ([], "required") if question.required else ([], None)
    if kind == QuestionKind.LIKERT:
        return ([values[0]], None) if len(values) == 1 and values[0] in LIKERT_VALUES else ([], "invalid")
    if kind.has_choices:
        allowed = {str(index) for index in range(len(question.choices or []))}
        chosen = sorted(set(values), key=lambda value: (len(value), value))
        if not set(chosen) <= allowed or (kind == QuestionKind.SINGLE and len(chosen) != 1):
            return [], "invalid"
        return chosen, None
    text = values[0]
    if len(text) > TEXT_LIMITS[kind]:
        return [], "too_long"
    return [text], None


def parse_answers(form, submitted):
    """{question id: [stored values]} from `submitted` ({question id: [strings]}), or AnswersInvalid."""
    answers, errors = {}, {}
    for question in form.questions:
        values, error = _parse_answer(question, submitted.get(question.id, []))
        if error:
            errors[question.id] = error
        answers[question.id] = values
    if errors:
        raise AnswersInvalid(errors)
    return answers


def score_of(questions, answers):
    """(points earned, points possible) of `answers` to the scored questions among `questions`."""
    earned = possible = 0
    for question in questions:
        if not question.scored:
            continue
        possible += question.points
        if sorted(int(value) for value in answers.get(question.id, [])) == sorted(question.correct):
            earned += question.points
    return earned, possible


def was_there(form, registration):
    """Whether `registration` may answer `form` as one of the people who were there: checked in (on the
    session's day, for a form about a session), or the form is open to everyone registered."""
    if not form.present_only:
        return True
    query = db.select(Attendance.id).where(Attendance.registration_id == registration.id)
    if form.agenda_item_id is not None:
        day = db.select(AgendaItem.event_day_id).where(AgendaItem.id == form.agenda_item_id).scalar_subquery()
        query = query.where(Attendance.event_day_id == day)
    return db.session.execute(query.limit(1)).first() is not None


def answerable(form, registration, now=None):
    """Why `registration` may not answer `form` now ('not_open', 'closed', 'cancelled', 'not_present'),
    or None."""
    if registration.status != STATUS_REGISTERED:
        return "cancelled"
    state = form.state(now or utcnow())
    if state != "open":
        return state
    return None if was_there(form, registration) else "not_present"


def has_answered(form, registration):
    return db.session.get(Completion, (form.id, registration.id)) is not None


def submit_response(form, registration, submitted, *, now=None):
    """Store `registration`'s answers to `form`; the caller commits.

    `submitted` maps question ids to the strings the browser sent. Raises EvaluationRefused
    (outside the window, cancelled), AnswersInvalid (nothing stored) or AlreadyAnswered (the
    completion's primary key refused a second answer; the session is rolled back).
    Returns the Response of a named form; None for an anonymous form, whose answers wait for their
    batch (app/evaluation/batches.py).
    """
    if registration.event_id != form.event_id:
        raise EvaluationRefused("unknown_form")
    why = answerable(form, registration, now)
    if why:
        raise EvaluationRefused(why)
    answers = parse_answers(form, submitted)
    try:
        db.session.add(Completion(form_id=form.id, registration_id=registration.id))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadyAnswered() from None
    if form.anonymous:
        # Not in the completion's transaction: it waits, sealed, for a batch written in a random order.
        hold_answers(form, answers)
        db.session.flush()
        return None
    earned, possible = score_of(form.questions, answers) if form.is_test else (None, None)
    response = Response(
        form_id=form.id, anonymous=False, registration_id=registration.id, submitted_at=now or utcnow(),
        score=earned, max_score=possible,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(
        Answer(response_id=response.id, form_id=form.id, question_id=question_id, value=value)
        for question_id, values in answers.items() for value in values
    )
    db.session.flush()
    return response


def open_forms_for(registration, now=None):
    """The forms of the registration's event open now, each with whether it was answered: [(form, bool)]."""
    now = now or utcnow()
    forms = [form for form in db.session.execute(
        db.select(EvaluationForm).filter_by(event_id=registration.event_id).order_by(EvaluationForm.id)
    ).scalars() if form.state(now) == "open" and was_there(form, registration)]
    if not forms:
        return []
    answered = set(db.session.execute(
        db.select(Completion.form_id).where(
            Completion.registration_id == registration.id, Completion.form_id.in_([form.id for form in forms])
        )
    ).scalars())
    return [(form, form.id in answered) for form in forms]
