"""What a form's answers add up to: response rate, distributions, means, scores and the pre→post gain.

Every figure comes from a fixed number of grouped queries, whatever the number of responses.
"""
from dataclasses import dataclass, field
from statistics import mean, median

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, true
from sqlalchemy.orm import aliased

from app.evaluation.batches import pending_counts
from app.extensions import db
from app.models import (
    STATUS_REGISTERED,
    AgendaItem,
    Answer,
    Attendance,
    Completion,
    EvaluationForm,
    FormKind,
    Organization,
    Question,
    QuestionKind,
    Registration,
    Response,
)

MAX_TEXTS_SHOWN = 500


@dataclass
class QuestionResult:
    question: Question
    counts: dict = field(default_factory=dict)  # stored value → number of answers
    answered: int = 0  # responses that answered it
    texts: list = field(default_factory=list)

    @property
    def mean(self):
        """The mean of a Likert question's answers (1–5), or None."""
        if self.question.kind != QuestionKind.LIKERT or not self.answered:
            return None
        return sum(int(value) * n for value, n in self.counts.items()) / self.answered

    def distribution(self):
        """(label, count) for each possible answer, in order, for a Likert or choice question."""
        if self.question.kind == QuestionKind.LIKERT:
            return [(value, self.counts.get(value, 0)) for value in ("1", "2", "3", "4", "5")]
        return [(choice, self.counts.get(str(index), 0)) for index, choice in enumerate(self.question.choices or [])]


@dataclass
class GainRow:
    registration_id: int
    full_name: str
    nip: str | None
    organization: str
    pre: float | None
    post: float | None

    @property
    def gain(self):
        return None if self.pre is None or self.post is None else round(self.post - self.pre, 1)


@dataclass
class GainSummary:
    rows: list
    pre_form: EvaluationForm | None
    post_form: EvaluationForm | None

    @property
    def gains(self):
        return [row.gain for row in self.rows if row.gain is not None]

    @property
    def mean(self):
        return round(mean(self.gains), 1) if self.gains else None

    @property
    def median(self):
        return round(median(self.gains), 1) if self.gains else None

    @property
    def improved_share(self):
        """The share (0–100) of those with both scores whose post-test was better."""
        gains = self.gains
        return round(100 * sum(1 for gain in gains if gain > 0) / len(gains), 1) if gains else None


# Who a form's response rate divides by.
BASE_REGISTERED = "registered"  # every active registration: anyone may answer
BASE_PRESENT = "present"  # those checked in on any day ("Hanya peserta yang sudah hadir")
BASE_PRESENT_ON_DAY = "present_on_day"  # a speaker form's: those checked in on its session's day


@dataclass
class FormResults:
    form: EvaluationForm
    responses: int
    present: int  # how many the rate divides by (who, in `base`)
    questions: list
    scores: list  # percentages, for a test
    answered: int = 0  # how many of those `present` answered (never more than them)
    base: str = BASE_PRESENT
    waiting: int = 0  # an anonymous form's answers not yet written in their batch

    @property
    def withheld(self):
        """An anonymous form's answers are shown from k (`min_respondents`) respondents on."""
        return bool(self.form.anonymous) and self.responses < self.form.min_respondents

    @property
    def respondents(self):
        return self.responses + self.waiting

    @property
    def needed(self):
        """How many more must answer before an anonymous form's results are shown."""
        return max(self.form.min_respondents - self.respondents, 0) if self.withheld else 0

    @property
    def rate(self):
        """The share of those who could answer who did, in percent (None when nobody could): counted among the
        same people, so never over 100."""
        return round(100 * self.answered / self.present, 1) if self.present else None

    @property
    def mean_score(self):
        return round(mean(self.scores), 1) if self.scores else None


def percent(score, possible):
    return round(100 * score / possible, 1) if possible else None


def rate_base(form):
    """(base, how many it counts, how many of them answered `form`), in one query: who the response rate
    divides by is who may answer — the people checked in (on its session's day, for a speaker form about a
    session) when the form is "Hanya peserta yang sudah hadir", else every active registration."""
    people = db.select(Registration.id.label("id")).where(Registration.event_id == form.event_id,
                                                          Registration.status == STATUS_REGISTERED)
    base = BASE_REGISTERED
    if form.present_only:
        attended = Attendance.registration_id == Registration.id
        if form.agenda_item_id is not None:
            day = db.select(AgendaItem.event_day_id).where(AgendaItem.id == form.agenda_item_id).scalar_subquery()
            people = people.where(db.exists().where(attended, Attendance.event_day_id == day))
            base = BASE_PRESENT_ON_DAY
        else:
            people = people.where(db.exists().where(attended))
            base = BASE_PRESENT
    eligible = people.subquery()
    counted, answered = db.session.execute(
        db.select(func.count(eligible.c.id), func.count(Completion.registration_id))
        .select_from(eligible)
        .outerjoin(Completion, (Completion.registration_id == eligible.c.id) & (Completion.form_id == form.id))
    ).one()
    return base, counted, answered


def written_responses(form):
    return db.session.execute(
        db.select(func.count()).select_from(Response).where(Response.form_id == form.id)
    ).scalar_one()


def results_withheld(form):
    """Whether `form`'s answers are not shown yet: an anonymous form below k (`min_respondents`) responses."""
    return bool(form.anonymous) and written_responses(form) < form.min_respondents


def form_results(form):
    """The FormResults of `form`: six queries, whatever the number of responses. An anonymous form below k
    respondents gives its counts and no answer (three queries)."""
    if form.anonymous:
        written = written_responses(form)
        if written < form.min_respondents:
            base, counted, answered_of_them = rate_base(form)
            return FormResults(form, written, counted, [], [], answered=answered_of_them, base=base,
                               waiting=pending_counts([form.id]).get(form.id, 0))
    questions = db.session.execute(
        db.select(Question).filter_by(form_id=form.id).order_by(Question.position, Question.id)
    ).scalars().all()
    results = {question.id: QuestionResult(question) for question in questions}
    choice_kinds = [QuestionKind.LIKERT, QuestionKind.SINGLE, QuestionKind.MULTIPLE]
    counted = db.session.execute(
        db.select(Answer.question_id, Answer.value, func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.form_id == form.id, Question.kind.in_(choice_kinds))
        .group_by(Answer.question_id, Answer.value)
    ).all()
    for question_id, value, n in counted:
        results[question_id].counts[value] = n
    answered = db.session.execute(
        db.select(Answer.question_id, func.count(func.distinct(Answer.response_id)))
        .where(Answer.form_id == form.id).group_by(Answer.question_id)
    ).all()
    for question_id, n in answered:
        results[question_id].answered = n
    texts = db.session.execute(
        db.select(Answer.question_id, Answer.value)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.form_id == form.id, Question.kind.in_([QuestionKind.SHORT, QuestionKind.LONG]))
        # An anonymous form's texts in the order typed could be matched with a log of who submitted when.
        .order_by(Answer.question_id, Answer.value if form.anonymous else Answer.id)
    ).all()
    for question_id, value in texts:
        shown = results[question_id].texts
        if len(shown) < MAX_TEXTS_SHOWN:
            shown.append(value)
    scored = db.session.execute(
        db.select(Response.score, Response.max_score).where(Response.form_id == form.id)
    ).all()
    scores = [percent(score, possible) for score, possible in scored if possible]
    base, counted, answered_of_them = rate_base(form)
    return FormResults(form, len(scored), counted, list(results.values()), scores, answered=answered_of_them,
                       base=base)


def score_histogram(scores, width=10):
    """[(lower bound, count)] of percentages in bands of `width` points (the last band holds 100)."""
    bands = [0] * (100 // width)
    for score in scores:
        bands[min(int(score // width), len(bands) - 1)] += 1
    return [(index * width, n) for index, n in enumerate(bands)]


def _first_form(event_id, kind):
    return db.session.execute(
        db.select(EvaluationForm).filter_by(event_id=event_id, kind=kind).order_by(EvaluationForm.id).limit(1)
    ).scalar_one_or_none()


def test_gain(event_id):
    """Each participant's pre-test and post-test score and the gain (an event has one of each; of older
    events with more, the first of each)."""
    pre_form, post_form = _first_form(event_id, FormKind.PRETEST), _first_form(event_id, FormKind.POSTTEST)
    if pre_form is None and post_form is None:
        return GainSummary([], None, None)
    pre, post = aliased(Response), aliased(Response)
    rows = db.session.execute(
        db.select(Registration.id, Registration.full_name, Registration.nip, Organization.name,
                  pre.score, pre.max_score, post.score, post.max_score)
        .join(Organization, Organization.id == Registration.organization_id)
        .outerjoin(pre, (pre.registration_id == Registration.id) & (pre.form_id == (pre_form.id if pre_form else -1)))
        .outerjoin(post, (post.registration_id == Registration.id)
                   & (post.form_id == (post_form.id if post_form else -1)))
        .where(Registration.event_id == event_id, (pre.id.is_not(None)) | (post.id.is_not(None)))
        .order_by(Organization.name, Registration.full_name, Registration.id)
    ).all()
    return GainSummary(
        [GainRow(rid, name, nip, organization, percent(a, b), percent(c, d))
         for rid, name, nip, organization, a, b, c, d in rows],
        pre_form, post_form,
    )


# What other parts of the app ask of the evaluations -------------------------------------------


def completed_every_evaluation(event_id, registration_ids):
    """Those of `registration_ids` who answered every evaluation form (penyelenggaraan and narasumber)
    of the event they were asked: a certificate rule. A form about a session is asked only of those
    present on that session's day; a form about no session, of everyone. With no form asked, everyone has."""
    forms = db.session.execute(
        db.select(EvaluationForm.id, AgendaItem.event_day_id)
        .outerjoin(AgendaItem, AgendaItem.id == EvaluationForm.agenda_item_id)
        .where(EvaluationForm.event_id == event_id, EvaluationForm.kind.in_([FormKind.EVALUATION, FormKind.SPEAKER]))
    ).tuples().all()
    wanted = set(registration_ids)
    if not forms:
        return wanted
    days_present: dict[int, set] = {}
    for registration_id, day_id in db.session.execute(
        db.select(Attendance.registration_id, Attendance.event_day_id)
        .where(Attendance.event_id == event_id, Attendance.registration_id.in_(wanted))
    ).tuples():
        days_present.setdefault(registration_id, set()).add(day_id)
    answered: dict[int, set] = {}
    for registration_id, form_id in db.session.execute(
        db.select(Completion.registration_id, Completion.form_id)
        .where(Completion.form_id.in_([form_id for form_id, _day in forms]), Completion.registration_id.in_(wanted))
    ).tuples():
        answered.setdefault(registration_id, set()).add(form_id)
    return {
        registration_id for registration_id in wanted
        if all(form_id in answered.get(registration_id, set()) for form_id, day_id in forms
               if day_id is None or day_id in days_present.get(registration_id, set()))
    }


def post_test_percentages(event_id):
    """{registration id: post-test score in percent} for the event's first post-test: a certificate rule."""
    post_form = _first_form(event_id, FormKind.POSTTEST)
    if post_form is None:
        return {}
    rows = db.session.execute(
        db.select(Response.registration_id, Response.score, Response.max_score).where(Response.form_id == post_form.id)
    ).all()
    return {registration_id: percent(score, possible) for registration_id, score, possible in rows}


# The programme overview's columns from the evaluations (app/overview/services.py): no person, counts and means.
EVALUATION_FIGURES = (
    ("evaluation_responses", _l("Jawaban evaluasi penyelenggaraan")),
    ("evaluation_mean", _l("Rata-rata evaluasi (1-5)")),
)


def evaluation_figures(event_ids):
    """{event id: {"evaluation_responses": n, "evaluation_mean": mean of every Likert answer}} of the
    events' evaluasi penyelenggaraan forms, in one query."""
    if not event_ids:
        return {}
    # An anonymous form counts from k respondents on, as on its results page.
    written = (db.select(func.count()).select_from(Response).where(Response.form_id == EvaluationForm.id)
               .correlate(EvaluationForm).scalar_subquery())
    rows = db.session.execute(
        db.select(EvaluationForm.event_id, func.count(func.distinct(Answer.response_id)),
                  func.avg(db.cast(Answer.value, db.Integer)))
        .join(Question, Question.id == Answer.question_id)
        .join(EvaluationForm, EvaluationForm.id == Answer.form_id)
        .where(EvaluationForm.event_id.in_(event_ids), EvaluationForm.kind == FormKind.EVALUATION,
               Question.kind == QuestionKind.LIKERT,
               ~EvaluationForm.anonymous | (written >= EvaluationForm.min_respondents))
        .group_by(EvaluationForm.event_id)
    ).all()
    return {event_id: {"evaluation_responses": responses, "evaluation_mean": round(float(average), 2)}
            for event_id, responses, average in rows}


def respondents_unnamed(form):
    """Whether "not answered yet" must leave nobody out: an anonymous form below k respondents, where the
    list of those who have not answered would name the few who have."""
    if not form.anonymous:
        return False
    answered = db.session.execute(
        db.select(func.count()).select_from(Completion).where(Completion.form_id == form.id)
    ).scalar_one()
    return answered < form.min_respondents


def not_answered(form):
    """The condition on Registration of "has not answered `form`": the audience "Belum mengisi" of a
    reminder. Below k respondents of an anonymous form it holds for everyone (see respondents_unnamed)."""
    if respondents_unnamed(form):
        return true()
    return ~exists().where(Completion.form_id == form.id, Completion.registration_id == Registration.id)


def registrations_without_response(form):
    """A query of the active registrations of the form's event that have not answered it (everyone, below k
    respondents of an anonymous form): the audience of a reminder."""
    return db.select(Registration).where(
        Registration.event_id == form.event_id,
        Registration.status == STATUS_REGISTERED,
        not_answered(form),
    )
