"""The JSON bodies the check-in API answers with."""
from app.checkin.services import (
    ALREADY_CHECKED_IN,
    CANCELLED,
    CHECKED_IN,
    FUTURE_DAY,
    NOT_EVENT_DAY,
    TRANSFERRED,
    UNKNOWN_TICKET,
)
from app.timezones import event_time

STATUS = {CHECKED_IN: 201, ALREADY_CHECKED_IN: 200, UNKNOWN_TICKET: 404, CANCELLED: 409, NOT_EVENT_DAY: 409,
          FUTURE_DAY: 409, TRANSFERRED: 409}


def participant(registration):
    """Who it is, as an operator may see it: never the full NIP, phone or e-mail."""
    return {
        "id": registration.id,
        "full_name": registration.full_name,
        "organization": registration.organization.name,
        "position": registration.position,
        "masked_nip": registration.masked_nip,
        "status": registration.status,
    }


def check_in_answer(outcome, event, local_date):
    """(body, status) for a CheckInOutcome."""
    if outcome.result == TRANSFERRED:
        return {"result": TRANSFERRED}, STATUS[TRANSFERRED]  # no personal data: the seat has a new holder
    body = {"result": outcome.result, "day": local_date.isoformat()}
    if outcome.registration is not None:
        body["participant"] = participant(outcome.registration)
    if outcome.day is not None:
        body["day_number"] = outcome.day.number
    if outcome.attendance is not None:
        body["checked_in_at"] = event_time(outcome.attendance.checked_in_at, event)
        body["device"] = outcome.attendance.device
        if outcome.attendance.recorded_late_at is not None:
            body["recorded_late_at"] = event_time(outcome.attendance.recorded_late_at, event)
        if outcome.moved_earlier:
            body["moved_earlier"] = True
    return body, STATUS[outcome.result]


def invalid(errors):
    return {"result": "invalid_request", "errors": errors}, 400
