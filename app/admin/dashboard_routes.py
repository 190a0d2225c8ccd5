"""The live dashboard, the attendance workbook download, and the Excel import."""
import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.dashboard import dashboard as dashboard_figures
from app.admin.forms import ImportForm
from app.audit import record_access
from app.console import bp
from app.events.forms import READINESS_LABELS
from app.events.services import readiness
from app.exports.data import attendance_data, export_file_name
from app.exports.workbook import build_attendance_workbook
from app.imports.files import read_participant_file
from app.imports.headers import SPELLINGS
from app.imports.messages import SPELLING_LABELS, describe, field_label, ignored_columns_note
from app.imports.reader import UnreadableFile, write_template
from app.imports.services import ImportRefused, import_participants
from app.models import utcnow
from app.registration.services import event_organizations
from app.tenants.access import MANAGE, console, event_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/acara/<slug>")
@console(MANAGE)
def dashboard(slug):
    event = event_or_404(slug)
    state = event.registration_state(utcnow())
    checklist = readiness(event) if state == "draft" else None
    return render_template("admin/dashboard.html", event=event, board=dashboard_figures(event), state=state,
                           checklist=checklist, readiness_labels=READINESS_LABELS)


@bp.route("/acara/<slug>/dasbor/langsung")
@console(MANAGE)
def dashboard_live(slug):
    """The dashboard's live part alone, fetched by the page every few seconds."""
    event = event_or_404(slug)
    return render_template("admin/_live.html", event=event, board=dashboard_figures(event))


@bp.route("/acara/<slug>/dasbor.json")
@console(MANAGE)
def dashboard_json(slug):
    event = event_or_404(slug)
    return dashboard_figures(event).as_json()


@bp.route("/acara/<slug>/daftar-hadir.xlsx")
@console(MANAGE)
def export_attendance(slug):
    event = event_or_404(slug)
    stream = io.BytesIO()
    build_attendance_workbook(attendance_data(event), stream)
    stream.seek(0)
    record_access(current_user, event, "export", export_file_name(event))
    return send_file(stream, mimetype=XLSX, as_attachment=True, download_name=export_file_name(event), max_age=0)


@bp.route("/acara/<slug>/impor/templat.xlsx")
@console(MANAGE)
def import_template(slug):
    event = event_or_404(slug)
    stream = io.BytesIO()
    write_template(stream, [(o.short_name, o.name) for _eo, o in event_organizations(event)])
    stream.seek(0)
    return send_file(stream, mimetype=XLSX, as_attachment=True, download_name=f"templat-peserta-{event.slug}.xlsx",
                     max_age=0)


@bp.route("/acara/<slug>/impor", methods=["GET", "POST"])
@console(MANAGE)
def import_file(slug):
    event = event_or_404(slug)
    form = ImportForm()
    problems, file_error, ignored = [], None, ""
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if upload is None or not getattr(upload, "filename", ""):
                raise UnreadableFile("empty")
            rows = read_participant_file(upload.stream, upload.filename)
            ignored = ignored_columns_note(rows.ignored_columns)
            count = import_participants(event, rows)
        except UnreadableFile as error:
            file_error = describe(error.code, error.detail)
        except ImportRefused as refusal:
            problems = [
                {"row": p.row, "field": field_label(p.field), "message": describe(p.code, p.detail)}
                for p in refusal.problems
            ]
        else:
            record_access(current_user, event, "import", f"{upload.filename[:200]}: {count}")
            flash(_("%(count)d peserta diimpor.", count=count), "success")
            if ignored:
                flash(ignored, "info")
            return redirect(url_for("admin.participants", slug=slug), code=303)
    status = 422 if problems or file_error else 200
    return render_template("admin/import.html", event=event, form=form, problems=problems,
                           file_error=file_error, ignored=ignored, spellings=SPELLINGS,
                           spelling_labels=SPELLING_LABELS), status
