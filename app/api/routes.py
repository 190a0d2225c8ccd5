"""The check-in API (DESIGN.md, "The check-in contract") and what the station page reads."""
from flask import Blueprint, abort, g, jsonify, make_response, request
from flask_babel import gettext as _

from app.api.answers import check_in_answer, invalid, participant
from app.api.auth import authenticate_api_request, require_operator_of
from app.api.schemas import parse_check_in, parse_day, parse_version
from app.checkin.desk import desk_event, desk_event_by_id, desk_ticket
from app.checkin.services import UNKNOWN_TICKET, check_in, event_day_for, scan_connection
from app.checkin.station import (
    attendances_on,
    day_counts,
    find_scanned_ticket,
    roster,
    roster_validator,
    scan_date,
    search_registrations,
)
from app.extensions import csrf
from app.models import utcnow
from app.monitoring.metrics import count_scan
from app.security_headers import PRIVATE, cache_policy
from app.tenants.access import OPERATE, event_or_404
from app.timezones import event_time, today_in

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.before_request(authenticate_api_request)
cache_policy(bp, PRIVATE)  # answers name participants


def _operated_event(slug):
    return event_or_404(slug, OPERATE, user=g.api_user)


def _audit(values):
    return {"method": values["method"], "device": values["device"], "operator": g.api_user,
            "scanned_at": values["scanned_at"]}


def _check_in(registration, event, values, connection):
    """Check `registration` in on `connection`: (the outcome, the date it is for), or (None, the 422
    answer). `event` is the registration's DeskEvent (its days remembered for a few seconds)."""
    local_date, errors = scan_date(event, values["day"], scanned_at=values["scanned_at"])
    if errors:
        return None, invalid(errors)
    return check_in(registration, event.day_on(local_date), connection=connection, **_audit(values)), local_date


def _answer(outcome, event, local_date):
    """Called after the commit (SQLite's write lock held no longer than the writes need): the answer
    reads plain values (DeskTicket, DeskEvent)."""
    count_scan(outcome.result)
    return check_in_answer(outcome, event, local_date)


@bp.post("/checkins")
def create_check_in():
    """A scan: the hottest request of the app. SQLAlchemy Core statements on scan_connection's connection
    (a joined SELECT of the ticket, the attendance and scan log INSERTs), committed before the desk is told."""
    values, errors = parse_check_in(request.get_json(silent=True))
    if errors:
        return invalid(errors)
    event = None
    if values["event"]:
        event = desk_event(values["event"])
        if event is None:
            return invalid({"event": [_("Acara tidak dikenal.")]})
        require_operator_of(event)
    # Online, with its event named (the station's scans, a device's): nothing below reads through the Session.
    with scan_connection(autocommit=values["scanned_at"] is None and event is not None) as connection:
        registration = find_scanned_ticket(values["token"], event=event, audit=_audit(values), connection=connection)
        if registration is not None:
            if event is None:
                event = desk_event_by_id(registration.event_id)
                require_operator_of(event)
            outcome, answer = _check_in(registration, event, values, connection)
    if registration is None:  # its scan log committed all the same
        count_scan(UNKNOWN_TICKET)
        return {"result": UNKNOWN_TICKET}, 404
    return _answer(outcome, event, answer) if outcome else answer


@bp.post("/events/<slug>/registrations/<int:registration_id>/checkins")
def check_in_registration(slug, registration_id):
    """A check-in by hand, for someone found by name or NIP without their ticket."""
    event = desk_event(slug) or abort(404)
    require_operator_of(event)
    values, errors = parse_check_in(request.get_json(silent=True), token_required=False, default_method="manual")
    if errors:
        return invalid(errors)
    registration = desk_ticket(registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    with scan_connection(autocommit=values["scanned_at"] is None) as connection:
        outcome, answer = _check_in(registration, event, values, connection)
    return _answer(outcome, event, answer) if outcome else answer


def _requested_day(event):
    local_date = parse_day(request.args.get("day")) or today_in(event)
    return local_date, event_day_for(event, local_date)


@bp.get("/events/<slug>/counts")
def counts(slug):
    event = _operated_event(slug)
    local_date, day = _requested_day(event)
    present, registered = day_counts(event, day)
    return {"day": local_date.isoformat(), "present": present, "registered": registered}


@bp.get("/events/<slug>/registrations")
def search(slug):
    event = _operated_event(slug)
    local_date, day = _requested_day(event)
    found = search_registrations(event, request.args.get("q", "")[:100])
    present = attendances_on(day, found)
    results = []
    for registration in found:
        attendance = present.get(registration.id)
        results.append(dict(participant(registration),
                            checked_in_at=event_time(attendance.checked_in_at, event) if attendance else None))
    return {"day": local_date.isoformat(), "results": results}


@bp.get("/events/<slug>/roster")
def offline_roster(slug):
    """The copy a station keeps to decide on its own while the network is down: whole, or with
    `?since=<version>` only what changed since that version. Validated by a weak ETag: a desk
    whose copy is current gets 304 and no body."""
    event = _operated_event(slug)
    validator = roster_validator(event)
    if request.if_none_match.contains_weak(validator):
        response = make_response("", 304)
        response.set_etag(validator, weak=True)
        return response
    now = utcnow()
    since = parse_version(request.args.get("since"))
    tickets = roster(event, since)
    for ticket in tickets:
        ticket["checked_in"] = {day: event_time(moment, event) for day, moment in ticket["checked_in"].items()}
    response = jsonify({
        "event": event.slug,
        "timezone": event.timezone,
        "version": now.isoformat().replace("+00:00", "Z"),  # safe in a query string as it is
        "complete": since is None,
        "generated_at": event_time(now, event),
        "days": [{"date": day.date.isoformat(), "number": n} for n, day in enumerate(event.days, 1)],
        "tickets": tickets,
    })
    response.set_etag(validator, weak=True)
    return response
