"""The JP ledger in the console: a page across every event, and its workbook."""
import io

from flask import render_template, request, send_file
from flask_login import current_user

from app.audit import record_ledger_access
from app.certificates.console import bp
from app.certificates.ledger import ANNUAL_JP, build_ledger_workbook, jp_ledger
from app.extensions import db
from app.routing import parse_id
from app.tenants.access import MANAGE, console_page, scoped_events

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _ledger_year():
    year = parse_id(request.args.get("tahun"))
    return year if year is not None and 2000 <= year <= 2100 else None


def _ledger(year, file_name):
    """The ledger over the events the signed-in user manages: every event for the install administrator,
    the tenant's for a tenant admin, their own events for a committee member. Logged as an access."""
    events = db.session.execute(scoped_events(current_user, MANAGE)).scalars().all()
    people = jp_ledger(year, events=events)
    record_ledger_access(current_user, events, "export", file_name)
    return people


@bp.route("/jp")
@console_page
def jp_ledger_page():
    """The JP ledger across the events the user manages."""
    year = _ledger_year()
    people = _ledger(year, f"rekap JP {year or ''}".strip())
    return render_template("certificates/ledger.html", people=people, year=year, annual_jp=ANNUAL_JP)


@bp.route("/jp.xlsx")
@console_page
def jp_ledger_workbook():
    year = _ledger_year()
    name = f"rekap-jp-{year}.xlsx" if year else "rekap-jp.xlsx"
    stream = io.BytesIO()
    build_ledger_workbook(_ledger(year, name), stream, year=year)
    stream.seek(0)
    return send_file(stream, mimetype=XLSX, as_attachment=True, max_age=0, download_name=name)

