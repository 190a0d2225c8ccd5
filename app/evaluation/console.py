"""The console's "Evaluasi" pages: forms and tests of an event, their questions, and their results."""
import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import record_access
from app.confirm import ask_first, confirmed
from app.console import bp
from app.evaluation import services
from app.evaluation.defaults import add_default_set, speaker_sessions
from app.evaluation.forms import (
    FORM_KIND_LABELS,
    LIKERT_LABELS,
    QUESTION_KIND_LABELS,
    EvaluationFormForm,
    QuestionForm,
    QuestionImportForm,
    message,
)
from app.evaluation.results import form_results, results_withheld, score_histogram, test_gain
from app.evaluation.spreadsheets import (
    LETTERS,
    QuestionFileRefused,
    correct_indexes,
    read_questions,
    write_questions,
    write_raw_answers,
)
from app.events.lookup import find_agenda_item
from app.extensions import db
from app.models import FormKind
from app.routing import parse_id
from app.tenants.access import MANAGE, console, event_or_404
from app.timezones import local_to_utc, utc_to_local

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _form_or_404(event, form_id):
    return services.find_form(event, form_id) or abort(404)


def _choices(event, form=None):
    sessions = [("", _("— tidak ada —"))] + [
        (str(item.id), f"{item.speaker} — {item.title}") for item in event.agenda_items if item.speaker
    ]
    others = [("", _("— tidak disalin —"))] + [
        (str(other.id), other.title) for other in services.forms_of(event) if form is None or other.id != form.id
    ]
    return sessions, others


def _settings_form(event, form=None):
    """The settings form: for a new form (`form` None) with its kind and questions to copy; else of `form`."""
    settings = EvaluationFormForm()
    if form is not None:  # the kind is fixed and nothing is copied into an existing form
        del settings.kind
        del settings.copy_from
        if request.method == "GET":
            settings.process(data={
                "title": form.title, "agenda_item": str(form.agenda_item_id or ""),
                "opens_at": utc_to_local(form.opens_at, event.timezone),
                "closes_at": utc_to_local(form.closes_at, event.timezone),
                "anonymous": form.anonymous, "show_score": form.show_score, "present_only": form.present_only,
                "min_respondents": form.min_respondents,
            })
    sessions, others = _choices(event, form)
    settings.agenda_item.choices = sessions
    if form is None:
        settings.copy_from.choices = others
    return settings


def _settings_fields(event, settings):
    agenda_item_id = parse_id(settings.agenda_item.data)
    agenda_item = find_agenda_item(event, agenda_item_id) if agenda_item_id else None
    return {
        "title": settings.title.data, "agenda_item": agenda_item,
        "opens_at": local_to_utc(settings.opens_at.data, event.timezone),
        "closes_at": local_to_utc(settings.closes_at.data, event.timezone),
        "anonymous": bool(settings.anonymous.data), "show_score": bool(settings.show_score.data),
        "present_only": bool(settings.present_only.data),
        "min_respondents": settings.min_respondents.data if settings.min_respondents.data is not None else 5,
    }


def _refused_on(settings, refusal):
    field = getattr(settings, refusal.field, None) if refusal.field else None
    (field.errors if field is not None else settings.form_errors).append(message(refusal.code))


@bp.route("/acara/<slug>/evaluasi", methods=["GET", "POST"])
@console(MANAGE)
def evaluations(slug):
    event = event_or_404(slug)
    settings = _settings_form(event)
    if settings.validate_on_submit():
        copy_id = parse_id(settings.copy_from.data)
        copy_from = services.find_form(event, copy_id) if copy_id else None
        fields = _settings_fields(event, settings)
        if fields["opens_at"] is None and fields["closes_at"] is None and settings.kind.data in set(FormKind):
            fields["opens_at"], fields["closes_at"] = services.default_window(event, settings.kind.data,
                                                                              fields["agenda_item"])
        try:
            created = services.create_form(event, kind=settings.kind.data, copy_from=copy_from, **fields)
        except services.EvaluationRefused as refusal:
            db.session.rollback()
            _refused_on(settings, refusal)
        else:
            form_id = created.id
            flash(_("Formulir dibuat. Sekarang tambahkan pertanyaannya."), "success")
            return redirect(url_for("admin.evaluation_form", slug=slug, form_id=form_id), code=303)
    forms = services.forms_of(event)
    status = 422 if settings.errors or settings.form_errors else 200
    return render_template("admin/evaluations.html", event=event, forms=forms, settings=settings,
                           counts=services.response_counts(forms), kind_labels=FORM_KIND_LABELS), status


@bp.route("/acara/<slug>/evaluasi/bawaan", methods=["GET", "POST"])
@console(MANAGE)
def evaluation_defaults(slug):
    """The committee ticks the sessions that get a speaker form; the general form comes with them."""
    event = event_or_404(slug)
    if request.method == "POST":
        chosen = [item_id for item_id in map(parse_id, request.form.getlist("sesi")) if item_id is not None]
        made = add_default_set(event, chosen)
        if made:
            flash(_("%(n)s formulir evaluasi bawaan dibuat.", n=len(made)), "success")
        else:
            flash(_("Formulir evaluasi bawaan sudah ada."), "info")
        return redirect(url_for("admin.evaluations", slug=slug), code=303)
    return render_template("admin/evaluation_defaults.html", event=event, sessions=speaker_sessions(event))


def _render_form_page(event, form, settings=None, question_form=None, import_form=None, problems=(), status=200):
    return render_template(
        "admin/evaluation_form.html", event=event, form=form,
        settings=settings or _settings_form(event, form), question_form=question_form or QuestionForm(),
        import_form=import_form or QuestionImportForm(), problems=problems,
        locked=services.has_responses(form), kind_labels=FORM_KIND_LABELS, question_labels=QUESTION_KIND_LABELS,
        letters="ABCDEFGHIJKLMNOPQRST",
    ), status


@bp.route("/acara/<slug>/evaluasi/<int:form_id>", methods=["GET", "POST"])
@console(MANAGE)
def evaluation_form(slug, form_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    settings = _settings_form(event, form)
    if settings.validate_on_submit():
        try:
            services.update_form(form, **_settings_fields(event, settings))
        except services.EvaluationRefused as refusal:
            db.session.rollback()
            form = _form_or_404(event, form_id)
            _refused_on(settings, refusal)
        else:
            flash(_("Pengaturan formulir disimpan."), "success")
            return redirect(url_for("admin.evaluation_form", slug=slug, form_id=form_id), code=303)
    status = 422 if settings.errors or settings.form_errors else 200
    return _render_form_page(event, form, settings=settings, status=status)


def _question_spec(question_form):
    """The QuestionSpec typed in `question_form`, or None with the key's error on the form."""
    try:
        correct = correct_indexes(question_form.correct.data or "")
    except ValueError:
        question_form.correct.errors.append(message("correct_unknown"))
        return None
    return services.QuestionSpec(
        question_form.kind.data, question_form.text.data, bool(question_form.required.data),
        (question_form.choices.data or "").splitlines(), correct or None,
        question_form.points.data if question_form.points.data is not None else 1,
    )


@bp.post("/acara/<slug>/evaluasi/<int:form_id>/pertanyaan")
@console(MANAGE)
def add_question(slug, form_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    question_form = QuestionForm()
    if question_form.validate_on_submit() and (spec := _question_spec(question_form)) is not None:
        try:
            services.add_questions(form, [spec])
        except services.EvaluationRefused as refusal:
            db.session.rollback()
            form = _form_or_404(event, form_id)
            _refused_on(question_form, refusal)
        else:
            flash(_("Pertanyaan ditambahkan."), "success")
            return redirect(url_for("admin.evaluation_form", slug=slug, form_id=form_id) + "#pertanyaan", code=303)
    return _render_form_page(event, form, question_form=question_form, status=422)


@bp.route("/acara/<slug>/evaluasi/<int:form_id>/pertanyaan/<int:question_id>/ubah", methods=["GET", "POST"])
@console(MANAGE)
def edit_question(slug, form_id, question_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    question = _question_or_404(form, question_id)
    back = url_for("admin.evaluation_form", slug=slug, form_id=form_id) + "#pertanyaan"
    if services.has_responses(form):  # the same rule as deleting: answers keep meaning what they meant
        flash(message("questions_fixed"), "danger")
        return redirect(back, code=303)
    if request.method == "GET":
        question_form = QuestionForm(data={
            "kind": str(question.kind), "text": question.text,
            "required": question.required, "choices": "\n".join(question.choices or []),
            "correct": ", ".join(LETTERS[index] for index in question.correct or []),
            "points": question.points if question.correct else 1,
        })
    else:
        question_form = QuestionForm()
        if question_form.validate_on_submit() and (spec := _question_spec(question_form)) is not None:
            try:
                services.update_question(form, question, spec)
            except services.EvaluationRefused as refusal:
                db.session.rollback()
                form, question = _form_or_404(event, form_id), _question_or_404(form, question_id)
                _refused_on(question_form, refusal)
            else:
                flash(_("Pertanyaan disimpan."), "success")
                return redirect(back, code=303)
    status = 422 if question_form.errors or question_form.form_errors else 200
    return render_template("admin/evaluation_question.html", event=event, form=form, question=question,
                           question_form=question_form, kind_labels=FORM_KIND_LABELS, back_url=back), status


def _question_or_404(form, question_id):
    return services.find_question(form, question_id) or abort(404)


def _question_action(slug, form_id, question_id, act):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    question = _question_or_404(form, question_id)
    try:
        act(form, question)
    except services.EvaluationRefused as refusal:
        db.session.rollback()
        flash(message(refusal.code), "danger")
    return redirect(url_for("admin.evaluation_form", slug=slug, form_id=form_id) + "#pertanyaan", code=303)


@bp.post("/acara/<slug>/evaluasi/<int:form_id>/pertanyaan/<int:question_id>/hapus")
@console(MANAGE)
def delete_question(slug, form_id, question_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    question = _question_or_404(form, question_id)
    if not confirmed() and not services.has_responses(form):  # ask first (app/confirm.py); answered: refused
        losses = [_("Pertanyaan “%(text)s” dihapus dari %(form)s.", text=question.text, form=form.title)]
        if question.choices:
            losses.append(_("Pilihan jawabannya (%(count)d) ikut terhapus.", count=len(question.choices)))
        return ask_first(title=_("Hapus pertanyaan?"), losses=losses, confirm_label=_("Ya, hapus pertanyaan"),
                         back_url=url_for("admin.evaluation_form", slug=slug, form_id=form_id) + "#pertanyaan")
    return _question_action(slug, form_id, question_id, services.delete_question)


@bp.post("/acara/<slug>/evaluasi/<int:form_id>/pertanyaan/<int:question_id>/pindah")
@console(MANAGE)
def move_question(slug, form_id, question_id):
    step = -1 if request.form.get("arah") == "naik" else 1
    return _question_action(slug, form_id, question_id,
                            lambda form, question: services.move_question(form, question, step))


@bp.route("/acara/<slug>/evaluasi/<int:form_id>/pertanyaan.xlsx")
@console(MANAGE)
def export_questions(slug, form_id):
    form = _form_or_404(event_or_404(slug), form_id)
    stream = io.BytesIO()
    write_questions(form, stream)
    stream.seek(0)
    return send_file(stream, mimetype=XLSX, as_attachment=True, download_name=f"pertanyaan-{form.id}.xlsx",
                     max_age=0)


def _row_problem(row, code):
    return _("Baris %(row)s: %(message)s", row=row, message=message(code))


@bp.post("/acara/<slug>/evaluasi/<int:form_id>/impor")
@console(MANAGE)
def import_questions(slug, form_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    import_form = QuestionImportForm()
    problems = []
    if import_form.validate_on_submit() and import_form.file.data:
        try:
            rows = read_questions(import_form.file.data.stream)
        except QuestionFileRefused as refusal:
            problems = ([_row_problem(row, code) for row, code in refusal.problems] if refusal.problems
                        else [message(refusal.code)])
        else:
            try:
                for row, spec in rows:
                    try:
                        services.check_question(form, spec)
                    except services.EvaluationRefused as refusal:
                        problems.append(_row_problem(row, refusal.code))
                if not problems:
                    services.add_questions(form, [spec for _row, spec in rows])
            except services.EvaluationRefused as refusal:
                problems.append(message(refusal.code))
            if not problems:
                flash(_("%(n)s pertanyaan diimpor.", n=len(rows)), "success")
                return redirect(url_for("admin.evaluation_form", slug=slug, form_id=form_id) + "#pertanyaan",
                                code=303)
            db.session.rollback()
            form = _form_or_404(event, form_id)
    elif not problems:
        problems = [_("Pilih berkas .xlsx.")]
    return _render_form_page(event, form, import_form=import_form, problems=problems, status=422)


@bp.route("/acara/<slug>/evaluasi/<int:form_id>/hapus", methods=["GET", "POST"])
@console(MANAGE)
def delete_evaluation_form(slug, form_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    if request.method == "POST" and confirmed():  # without the page's confirmation (app/confirm.py): ask first
        services.delete_form(form)
        flash(_("Formulir dihapus."), "success")
        return redirect(url_for("admin.evaluations", slug=slug), code=303)
    counts = services.response_counts([form])
    return render_template("admin/evaluation_delete.html", event=event, form=form, responses=counts.get(form.id, 0))


@bp.route("/acara/<slug>/evaluasi/<int:form_id>/hasil")
@console(MANAGE)
def evaluation_results(slug, form_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    results = form_results(form)
    gain = test_gain(event.id) if form.is_test else None
    return render_template(
        "admin/evaluation_results.html", event=event, form=form, results=results, gain=gain,
        histogram=score_histogram(results.scores) if form.is_test else None,
        likert_labels=LIKERT_LABELS, kind_labels=FORM_KIND_LABELS, is_pretest=form.kind == FormKind.PRETEST,
    )


@bp.route("/acara/<slug>/evaluasi/<int:form_id>/jawaban.xlsx")
@console(MANAGE)
def export_answers(slug, form_id):
    event = event_or_404(slug)
    form = _form_or_404(event, form_id)
    if results_withheld(form):
        flash(_("Jawaban formulir anonim dapat diunduh setelah paling sedikit %(k)s peserta mengisi.",
                k=form.min_respondents), "info")
        return redirect(url_for("admin.evaluation_results", slug=slug, form_id=form_id), code=303)
    stream = io.BytesIO()
    write_raw_answers(form, stream)
    record_access(current_user, event, "export", f"jawaban-{form.id}.xlsx")
    stream.seek(0)
    return send_file(stream, mimetype=XLSX, as_attachment=True, download_name=f"jawaban-{form.id}.xlsx", max_age=0)
