"""/pengamat: the programme overview (page with a chart, JSON, .xlsx) for whoever may observe events."""
import io

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user, login_required

from app.overview.services import FIGURE_LABELS, programme_overview, totals
from app.overview.workbook import build_overview_workbook
from app.security_headers import PRIVATE, cache_policy

bp = Blueprint("overview", __name__, url_prefix="/pengamat")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def observers_only():
    # A pengamat, and admins and committees for their own events; an operator has no overview.
    if not (current_user.is_observer or current_user.has_console):
        abort(403)


cache_policy(bp, PRIVATE)


@bp.route("/")
def index():
    figures = programme_overview(current_user)
    scale = max([f.registered for f in figures] + [1])
    return render_template("overview/index.html", figures=figures, totals=totals(figures), scale=scale,
                           figure_labels=FIGURE_LABELS)


@bp.route("/ringkasan.json")
def as_json():
    figures = programme_overview(current_user)
    return {"totals": totals(figures), "events": [f.as_json() for f in figures]}


@bp.route("/ringkasan.xlsx")
def as_xlsx():
    stream = io.BytesIO()
    build_overview_workbook(programme_overview(current_user), stream)
    stream.seek(0)
    return send_file(stream, mimetype=XLSX, as_attachment=True, download_name="ringkasan-program.xlsx", max_age=0)
