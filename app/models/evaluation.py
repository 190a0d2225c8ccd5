"""Evaluation forms (of the Bimtek, of a speaker) and pre-/post-tests, and their responses.

A registration answers a form once: `evaluation_completions` (form, registration) is the
gate, its primary key refusing a second answer on SQLite and PostgreSQL alike. For an
anonymous form that row is all that ties the person to the form: the response itself has
no registration and no time (the database refuses one), and a completion carries no time
or surrogate key whose order could be matched with the responses'.

An anonymous form's answers never reach `evaluation_responses` in the transaction of their
completion: they wait sealed in `evaluation_pending_answers` (app/evaluation/batches.py) until
the form has `min_respondents` of them or closes, and a job writes them as one batch in a
random order, so that no transaction id, row position or id ties a response to a completion.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow


class FormKind(enum.StrEnum):
    EVALUATION = "evaluasi"  # evaluasi penyelenggaraan
    SPEAKER = "narasumber"  # evaluasi narasumber, per agenda item
    PRETEST = "pretest"
    POSTTEST = "posttest"

    @property
    def is_test(self):
        return self in (FormKind.PRETEST, FormKind.POSTTEST)


class QuestionKind(enum.StrEnum):
    LIKERT = "likert"  # 1–5, sangat kurang … sangat baik
    SINGLE = "single"  # one of the choices
    MULTIPLE = "multiple"  # any of the choices
    SHORT = "short"  # short text
    LONG = "long"  # long text

    @property
    def has_choices(self):
        return self in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    @property
    def is_text(self):
        return self in (QuestionKind.SHORT, QuestionKind.LONG)


class EvaluationForm(Model):
    __tablename__ = "evaluation_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FormKind] = mapped_column(enum_column(FormKind, name="form_kind"))
    title: Mapped[str] = mapped_column(String(300))
    # The session a speaker evaluation is about; the form stays if the agenda item goes.
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymous: Mapped[bool] = mapped_column(default=False)
    show_score: Mapped[bool] = mapped_column(default=False)
    # "Hanya peserta yang sudah hadir": answered only by people checked in (a speaker form: on its
    # session's day). On for new forms; forms made before it existed keep "anyone registered".
    present_only: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # k of an anonymous form: its answers are written in batches of at least k, and its results and raw
    # answers are shown from k respondents on.
    min_respondents: Mapped[int] = mapped_column(default=5, server_default="5")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event = relationship("Event")
    agenda_item = relationship("AgendaItem")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="form", order_by="(Question.position, Question.id)", cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        UniqueConstraint("id", "anonymous"),
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at", name="closes_after_opens"),
        # A test is scored per person (and its gain computed): it cannot be anonymous.
        CheckConstraint("NOT (anonymous AND kind IN ('pretest', 'posttest'))", name="tests_are_named"),
        CheckConstraint("min_respondents >= 3 AND min_respondents <= 500", name="min_respondents_in_range"),
        # One pre-test and one post-test per event: the gain and the certificate's post-test rule compare them.
        Index("uq_evaluation_forms_one_test_each", "event_id", "kind", unique=True,
              sqlite_where=text("kind IN ('pretest', 'posttest')"),
              postgresql_where=text("kind IN ('pretest', 'posttest')")),
    )

    @property
    def is_test(self):
        return FormKind(self.kind).is_test

    def state(self, now):
        """'not_open', 'open' or 'closed' at the aware datetime `now`."""
        if self.opens_at and now < self.opens_at:
            return "not_open"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


class Question(Model):
    __tablename__ = "evaluation_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind, name="question_kind"))
    text: Mapped[str] = mapped_column(String(1000))
    required: Mapped[bool] = mapped_column(default=True)
    # Choice labels in order; answers store a choice's index.
    choices: Mapped[list | None] = mapped_column(sa.JSON)
    # Indexes of the correct choice(s), for a test's question; None when it is not scored.
    correct: Mapped[list | None] = mapped_column(sa.JSON)
    points: Mapped[int] = mapped_column(default=1)

    form: Mapped[EvaluationForm] = relationship(back_populates="questions")

    __table_args__ = (
        UniqueConstraint("id", "form_id"),
        CheckConstraint("points >= 0 AND points <= 1000", name="points_in_range"),
    )

    @property
    def scored(self):
        return bool(self.correct) and QuestionKind(self.kind).has_choices


class Response(Model):
    __tablename__ = "evaluation_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(index=True)
    anonymous: Mapped[bool] = mapped_column(default=False)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int | None]
    max_score: Mapped[int | None]

    answers: Mapped[list["Answer"]] = relationship(back_populates="response", passive_deletes=True)

    __table_args__ = (
        # `anonymous` is the form's own: an anonymous form's response can name nobody, nor say when.
        ForeignKeyConstraint(["form_id", "anonymous"], ["evaluation_forms.id", "evaluation_forms.anonymous"],
                             ondelete="CASCADE", onupdate="CASCADE"),
        CheckConstraint("NOT anonymous OR (registration_id IS NULL AND submitted_at IS NULL)",
                        name="anonymous_is_anonymous"),
        CheckConstraint("anonymous OR registration_id IS NOT NULL", name="named_has_registration"),
        UniqueConstraint("form_id", "registration_id"),
        UniqueConstraint("id", "form_id"),
    )


class Answer(Model):
    __tablename__ = "evaluation_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(index=True)
    form_id: Mapped[int] = mapped_column(index=True)
    question_id: Mapped[int] = mapped_column(index=True)
    # The Likert value 1–5, a choice's index, or the text typed.
    value: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")

    __table_args__ = (
        # Both the response and the question belong to the same form.
        ForeignKeyConstraint(["response_id", "form_id"], ["evaluation_responses.id", "evaluation_responses.form_id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["question_id", "form_id"], ["evaluation_questions.id", "evaluation_questions.form_id"],
                             ondelete="CASCADE"),
    )


class Completion(Model):
    """That a registration has answered a form: nothing more (no time, no id, no response)."""

    __tablename__ = "evaluation_completions"

    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"), primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)

    # SQLite would otherwise keep rows in insertion order (rowid), which a response's id could be matched with.
    __table_args__ = ({"sqlite_with_rowid": False},)


class PendingAnswers(Model):
    """An anonymous form's answers waiting for their batch: sealed with a key derived from SECRET_KEY (which
    the database does not hold), under a random key, naming nobody and no time."""

    __tablename__ = "evaluation_pending_answers"

    # Random, so that neither its value nor (on SQLite) the table's order follows the order of arrival.
    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_forms.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)

    __table_args__ = ({"sqlite_with_rowid": False},)
