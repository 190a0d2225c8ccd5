"""Answering an evaluation form or a test from the ticket link: no login, the ticket token is the key."""
from flask import Blueprint, abort, render_template, request

from app.evaluation import services
from app.evaluation.forms import LIKERT_LABELS
from app.evaluation.results import percent
from app.extensions import db
from app.models import EvaluationForm
from app.security_headers import PRIVATE, cache_policy
from app.tickets.lookup import find_ticket

bp = Blueprint("evaluation", __name__)


# Reached by the ticket token: what a person answered is theirs.
cache_policy(bp, PRIVATE)


@bp.after_request
def no_referrer(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _submitted(form):
    """{question id: [values]} from the request's form body (fields named q-<id>)."""
    submitted = {}
    for question in form.questions:
        submitted[question.id] = request.form.getlist(f"q-{question.id}")
    return submitted


def _form_for(registration, form_id):
    form = db.session.get(EvaluationForm, form_id)
    if form is None or form.event_id != registration.event_id:
        abort(404)
    return form


@bp.route("/tiket/<token>/evaluasi/<int:form_id>", methods=["GET", "POST"])
def answer(token, form_id):
    registration = find_ticket(token) or abort(404)
    form = _form_for(registration, form_id)
    context = {"registration": registration, "form": form, "event": form.event, "likert_labels": LIKERT_LABELS,
               "token": token, "submitted": {}, "errors": {}}
    if services.has_answered(form, registration):
        return render_template("evaluation/answered.html", **context), 409 if request.method == "POST" else 200
    why = services.answerable(form, registration)
    if why:
        return render_template("evaluation/closed.html", why=why, **context), 409 if request.method == "POST" else 200
    if request.method == "GET":
        return render_template("evaluation/answer.html", **context)
    submitted = _submitted(form)
    try:
        response = services.submit_response(form, registration, submitted)
    except services.AnswersInvalid as invalid:
        context.update(submitted=submitted, errors=invalid.errors)
        return render_template("evaluation/answer.html", **context), 422
    except services.AlreadyAnswered:
        return render_template("evaluation/answered.html", **context), 409
    except services.EvaluationRefused as refusal:
        db.session.rollback()
        return render_template("evaluation/closed.html", why=refusal.code, **context), 409
    earned, possible = (response.score, response.max_score) if response is not None else (None, None)
    score = percent(earned, possible) if form.is_test and form.show_score else None
    return render_template("evaluation/thanks.html", score=score, earned=earned, possible=possible, **context)


@bp.app_template_global()
def evaluation_forms_for(registration):
    """For the ticket page: the open forms of the registration's event, each with whether it was answered."""
    return services.open_forms_for(registration)
