"""Retention, erasure, a participant's own data, deletion requests and the access log.

What erasure blanks: NIP (the certificates' too), phone and e-mail, and their copies: the values before a change (all of
the previous person's after "ganti peserta"), the address and body of each message (a message not
sent yet is dropped), every access-log entry whose text names a value the person ever had (current or
earlier, or the part of an e-mail before the @), the reason typed in their deletion request, and the
free text of their answers to named evaluation forms. What it keeps, and
why: the name, position, rank and OPD (the signed daftar hadir is an archived record, and a
certificate's public verification page names its holder), attendance (the aggregates), that a
message or a change happened and when, their choices on named forms, and the scan log (no personal data).

Blanked is not yet gone from the disk: SQLite runs with `secure_delete` (freed space is zeroed) and
`scrub_storage` then empties the WAL; on PostgreSQL it VACUUMs the tables touched, so that the old
row versions go (app/__init__.py, `flask purge-personal-data`, the console's erasure).
"""
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, func, literal, true, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.audit import record_access
from app.extensions import db
from app.models import (
    MESSAGE_QUEUED,
    Answer,
    Attendance,
    Certificate,
    DeletionRequest,
    EvaluationForm,
    Event,
    EventDay,
    OutboxMessage,
    PersonalDataAccess,
    Question,
    QuestionKind,
    Registration,
    RegistrationChange,
    Response,
    Tenant,
    utcnow,
)
from app.models.privacy import REQUEST_DONE, REQUEST_PENDING, REQUEST_REFUSED

log = logging.getLogger("hadir.privacy")

PERSONAL_FIELDS = ("nip", "phone", "email")
# After "ganti peserta" the values before it are another person's: all of them go.
PREVIOUS_PERSON_FIELDS = ("full_name", "nip", "position", "rank", "phone", "email")


def retention_days(event, tenant):
    return event.retention_days if event.retention_days is not None else tenant.retention_days


def events_with_own_retention(tenant):
    """(title, days) of `tenant`'s events whose retention period differs from the tenant's, by title."""
    return db.session.execute(
        db.select(Event.title, Event.retention_days)
        .where(Event.tenant_id == tenant.id, Event.retention_days.is_not(None),
               Event.retention_days != tenant.retention_days)
        .order_by(Event.title, Event.id)
    ).tuples().all()


def retention_ends_on(last_day, days):
    """The first date on which data of an event that ended on `last_day` is past retention. A period
    past the calendar's end (a value stored before the forms' bounds held) ends never: date.max."""
    if not last_day:
        return None
    try:
        return last_day + timedelta(days=days + 1)
    except OverflowError:
        return date.max


def event_retention_end(event):
    """The date from which `event`'s personal data is blanked (None for an event without days)."""
    last_day = max((day.date for day in event.days), default=None)
    return retention_ends_on(last_day, retention_days(event, event.tenant))


def _erasure_values(now):
    return {"nip": None, "phone": None, "email": None, "personal_data_erased_at": now}


# The tables an erasure or a purge may rewrite: `scrub_storage` clears their old row versions.
ERASED_TABLES = tuple(model.__tablename__ for model in (
    Registration, RegistrationChange, OutboxMessage, PersonalDataAccess, DeletionRequest, Answer, Certificate))
MIN_LOCAL_PART = 3  # the part of an e-mail before the @ that names a person in a search (not "a" or "cs")


def values_ever_held(registration_ids):
    """Every NIP, phone and e-mail the registrations `registration_ids` (a select of ids) hold or held
    (the values before each change, the previous person's after "ganti peserta" included), and the part
    of each e-mail before the @: what a search for them may have been typed as. Call before blanking."""
    values: set[str] = set()
    for row in db.session.execute(
        db.select(Registration.nip, Registration.phone, Registration.email).where(Registration.id.in_(registration_ids))
    ):
        values.update(value for value in row if value)
    for (old_values,) in db.session.execute(
        db.select(RegistrationChange.old_values).where(RegistrationChange.registration_id.in_(registration_ids))
    ):
        old = json.loads(old_values or "{}")
        values.update(str(old[name]) for name in PERSONAL_FIELDS if old.get(name))
    local_parts = {value.split("@", 1)[0] for value in values if "@" in value}
    return values | {part for part in local_parts if len(part) >= MIN_LOCAL_PART}


def _erase_free_text(registration_ids):
    """Drop what the person typed that may name them: the reason of their deletion request, and the
    free-text answers of their named evaluation responses (their choices stay, for the aggregates).
    The caller commits."""
    db.session.execute(
        update(DeletionRequest).where(DeletionRequest.registration_id.in_(registration_ids))
        .values(reason="", refusal_reason="").execution_options(synchronize_session=False)
    )
    named = db.select(Response.id).where(Response.registration_id.in_(registration_ids))
    texts = db.select(Question.id).where(Question.kind.in_([QuestionKind.SHORT, QuestionKind.LONG]))
    db.session.execute(
        db.delete(Answer).where(Answer.response_id.in_(named), Answer.question_id.in_(texts))
        .execution_options(synchronize_session=False)
    )


def _erase_traces(registration_ids):
    """Blank the copies of the personal data of the registrations `registration_ids` (a select of
    ids): messages not sent yet are dropped (their address is gone), the others keep their kind,
    channel, status and times; the values before a change are blanked; their free text goes
    (_erase_free_text). The caller commits."""
    _erase_free_text(registration_ids)
    db.session.execute(
        db.delete(OutboxMessage)
        .where(OutboxMessage.registration_id.in_(registration_ids), OutboxMessage.status == MESSAGE_QUEUED)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.registration_id.in_(registration_ids), ~OutboxMessage.recipient.startswith("erased:"))
        # Unique per (cause, kind, channel, recipient): each blanked address stays distinct.
        .values(recipient=literal("erased:") + cast(OutboxMessage.id, String), body_text="", body_html=None,
                last_error=None)
        .execution_options(synchronize_session=False)
    )
    changes = db.session.execute(
        db.select(RegistrationChange).where(RegistrationChange.registration_id.in_(registration_ids))
    ).scalars()
    for change in changes:
        old = json.loads(change.old_values or "{}")
        for name in PREVIOUS_PERSON_FIELDS if change.action == "replace" else PERSONAL_FIELDS:
            if old.get(name) is not None:
                old[name] = None
        change.old_values = json.dumps(old, ensure_ascii=False)


PARTIAL_DIGITS = 8  # a search of this many digits of a NIP or phone number or more points at one person


def _mentions(text, values):
    """Whether a typed search `text` names one of `values`: the whole value, or a NIP or phone number
    typed with spaces, or a run of at least PARTIAL_DIGITS of its digits."""
    digits = re.sub(r"\D", "", text)
    for value in filter(None, values):
        value_digits = re.sub(r"\D", "", value)
        # A phone is stored +62…; the committee types it 0… as often as not.
        local = "0" + value_digits.removeprefix("62") if value.startswith("+62") else value_digits
        if value.lower() in text.lower() or (len(value_digits) >= PARTIAL_DIGITS and (
                value_digits in digits or value_digits.removeprefix("62") in digits
                or (len(digits) >= PARTIAL_DIGITS and (digits in value_digits or digits in local)))):
            return True
    return False


def _blank_searches(event_id, values=None):
    """Blank the details of `event_id`'s access log (a search typed, a file name, …): those naming one
    of `values`, or every search. The log keeps that the access happened. The caller commits."""
    entries = db.session.execute(
        db.select(PersonalDataAccess).where(PersonalDataAccess.event_id == event_id, PersonalDataAccess.detail != "",
                                            true() if values is not None else PersonalDataAccess.action == "search")
    ).scalars()
    for access in entries:
        if values is None or _mentions(access.detail, values):
            access.detail = ""


def erase_personal_data(registration, now=None):
    """Blank one registration's NIP, phone and e-mail, and their copies. The caller commits, then calls
    `scrub_storage`."""
    ids = db.select(Registration.id).where(Registration.id == registration.id)
    held = values_ever_held(ids)
    _erase_traces(ids)
    _blank_searches(registration.event_id, held)
    for name, value in _erasure_values(now or utcnow()).items():
        setattr(registration, name, value)
    # A certificate keeps the NIP it was issued with; past retention it goes with the registration's.
    db.session.execute(update(Certificate).where(Certificate.registration_id == registration.id).values(nip=""))


@dataclass
class PurgeReport:
    events: list = field(default_factory=list)  # (slug, retention end date, registrations blanked)
    access_log_rows: int = 0
    dry_run: bool = False

    @property
    def registrations(self):
        return sum(count for _slug, _end, count in self.events)


def purge_personal_data(today=None, now=None, dry_run=False):
    """Blank NIP, phone and e-mail of every registration whose event is past retention, and delete
    access-log rows past their tenant's period. Idempotent: safe to run daily. With dry_run, reports
    what it would do and changes nothing. The caller commits."""
    now = now or utcnow()
    today = today or now.date()
    report = PurgeReport(dry_run=dry_run)
    due = db.session.execute(
        db.select(Event.id, Event.slug, func.max(EventDay.date), Event.retention_days, Tenant.retention_days)
        .join(EventDay, EventDay.event_id == Event.id)
        .join(Tenant, Tenant.id == Event.tenant_id)
        .group_by(Event.id, Event.slug, Event.retention_days, Tenant.retention_days)
        .order_by(Event.slug)
    ).all()
    past = [(event_id, slug, retention_ends_on(last, own if own is not None else default))
            for event_id, slug, last, own, default in due]
    past = [(event_id, slug, end) for event_id, slug, end in past if end <= today]
    counts: dict[int, int] = dict(db.session.execute(
        db.select(Registration.event_id, func.count())
        .where(Registration.event_id.in_([event_id for event_id, _s, _e in past] or [0]),
               Registration.personal_data_erased_at.is_(None))
        .group_by(Registration.event_id)
    ).tuples().all())
    for event_id, slug, end in past:
        if not dry_run:
            _blank_searches(event_id)
        if counts.get(event_id):
            report.events.append((slug, end, counts[event_id]))
            if not dry_run:
                ids = db.select(Registration.id).where(
                    Registration.event_id == event_id, Registration.personal_data_erased_at.is_(None))
                _blank_searches(event_id, values_ever_held(ids))  # an export's or import's file name, too
                _erase_traces(ids)
                db.session.execute(
                    update(Registration)
                    .where(Registration.event_id == event_id, Registration.personal_data_erased_at.is_(None))
                    .values(**_erasure_values(now))
                )
                db.session.execute(update(Certificate).where(Certificate.event_id == event_id).values(nip=""))
    for tenant_id, days in db.session.execute(db.select(Tenant.id, Tenant.audit_retention_days)).all():
        try:
            cutoff = now - timedelta(days=days)
        except OverflowError:  # a period longer than the calendar (stored before the bounds held): keep all
            continue
        old = (PersonalDataAccess.tenant_id == tenant_id) & (PersonalDataAccess.created_at < cutoff)
        report.access_log_rows += db.session.execute(
            db.select(func.count()).select_from(PersonalDataAccess).where(old)).scalar_one()
        if not dry_run:
            db.session.execute(db.delete(PersonalDataAccess).where(old))
    return report


def scrub_storage(tables=ERASED_TABLES):
    """After an erasure or a purge has committed: let the old versions of the rows it blanked go from the
    files. SQLite (`secure_delete` zeroes what is freed): checkpoint the WAL and truncate it. PostgreSQL:
    VACUUM FULL `tables` (outside a transaction): it rewrites them and their indexes without the dead row
    versions. A plain VACUUM is not enough: it leaves the old bytes in the pages' free space, and skips
    the indexes when few rows died. FULL locks each table while it is rewritten (about a second per
    100,000 rows), and keeps a row version that a transaction still running (on PostgreSQL, one in
    another database of the server too) may see: the next erasure or purge removes it. Returns False if
    SQLite's checkpoint was held back by a reader (the next checkpoint finishes it) or the VACUUM failed
    (logged: the erasure itself is done)."""
    engine = db.engine
    try:
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                busy, _frames, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            return not busy
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM FULL " + ", ".join(tables))
        return True
    except SQLAlchemyError:
        log.exception("clearing the erased values' old row versions failed; the next erasure or purge tries again")
        return False


def personal_data_of(registration):
    """Everything held about one registration, as the participant may read and download it: moments
    and dates as values, for the page to write in the event's time zone and `personal_data_json` as ISO."""
    event = registration.event
    attendances = db.session.execute(
        db.select(EventDay.date, Attendance.checked_in_at, Attendance.method)
        .join(EventDay, EventDay.id == Attendance.event_day_id)
        .where(Attendance.registration_id == registration.id)
        .order_by(EventDay.date)
    ).all()
    # A seat handed over before "ganti peserta" made a new registration (migration 0023) was the same row:
    # its earlier messages, answers and request were the previous person's.
    since = held_since(registration)
    request = find_deletion_request(registration)
    if request is not None and since is not None and request.created_at < since:
        request = None
    end = event_retention_end(event)
    messages = db.session.execute(
        db.select(OutboxMessage)
        .where(OutboxMessage.registration_id == registration.id,
               true() if since is None else OutboxMessage.created_at >= since)
        .order_by(OutboxMessage.id)
    ).scalars().all()
    certificates = db.session.execute(
        db.select(Certificate)
        .where(Certificate.registration_id == registration.id,
               true() if since is None else Certificate.issued_at >= since)
        .order_by(Certificate.id)
    ).scalars().all()
    # Answers of a named form only: an anonymous response is linked to nobody.
    answers = db.session.execute(
        db.select(EvaluationForm.title, Question.text, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .join(EvaluationForm, EvaluationForm.id == Answer.form_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.registration_id == registration.id,
               true() if since is None else Response.submitted_at >= since)
        .order_by(EvaluationForm.id, Question.id)
    ).all()
    return {
        "event": {"title": event.title, "organizer": event.tenant.name, "slug": event.slug},
        "registration": {
            "full_name": registration.full_name, "nip": registration.nip, "position": registration.position,
            "rank": registration.rank, "organization": registration.organization.name,
            "phone": registration.phone, "email": registration.email, "status": registration.status,
        },
        "legal_basis": registration.legal_basis,
        "consented_at": registration.consented_at,
        "source": registration.source,
        "registered_at": registration.created_at,
        "updated_at": registration.updated_at,
        "attendance": [{"day": day, "checked_in_at": moment, "method": method}
                       for day, moment, method in attendances],
        "messages": [{"kind": m.kind, "channel": m.channel, "recipient": _address(m.recipient),
                      "subject": m.subject, "status": m.status, "created_at": m.created_at,
                      "sent_at": m.sent_at} for m in messages],
        "certificates": [{"number": c.number, "full_name": c.full_name, "organization": c.organization_name,
                          "jp": c.jp, "issued_at": c.issued_at, "revoked_at": c.revoked_at}
                         for c in certificates],
        "evaluation_answers": [{"form": form, "question": question, "answer": value}
                               for form, question, value in answers],
        "retention_until": end,
        "personal_data_erased_at": registration.personal_data_erased_at,
        "deletion_request": None if request is None else {
            "status": request.status, "reason": request.reason, "requested_at": request.created_at,
            "refusal_reason": request.refusal_reason or None, "resolved_at": request.resolved_at,
        },
    }


def held_since(registration):
    """When the person now in this registration took it over by a "ganti peserta" of before migration 0023
    (it rewrote the row; now a handover makes a new registration), or None if they always held it."""
    return db.session.execute(
        db.select(func.max(RegistrationChange.changed_at))
        .where(RegistrationChange.registration_id == registration.id, RegistrationChange.action == "replace")
    ).scalar_one()


def _address(recipient):
    return None if recipient.startswith("erased:") else recipient


def personal_data_json(registration):
    """`personal_data_of` as the JSON download: moments and dates in ISO 8601 (UTC, with offset)."""
    return json.dumps(personal_data_of(registration), ensure_ascii=False, indent=2, default=_iso)


def _iso(value):
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


def find_deletion_request(registration):
    return db.session.execute(
        db.select(DeletionRequest).filter_by(registration_id=registration.id)
    ).scalar_one_or_none()


def request_deletion(registration, reason):
    """File (or file again, after a refusal) the participant's request to delete their data.
    Returns the DeletionRequest. The caller commits."""
    reason = (reason or "").strip()[:2000]
    try:
        with db.session.begin_nested():
            request = DeletionRequest(registration_id=registration.id, event_id=registration.event_id, reason=reason)
            db.session.add(request)
        return request
    except IntegrityError:
        pass
    request = find_deletion_request(registration)
    if request.status != REQUEST_PENDING:
        request.status, request.reason, request.created_at = REQUEST_PENDING, reason, utcnow()
        request.refusal_reason, request.resolved_at, request.resolved_by_id = "", None, None
    return request


def pending_deletion_requests(event):
    return db.session.execute(
        db.select(DeletionRequest).filter_by(event_id=event.id)
        .order_by((DeletionRequest.status == REQUEST_PENDING).desc(), DeletionRequest.created_at.desc())
    ).scalars().all()


def find_event_deletion_request(event, request_id):
    return db.session.execute(
        db.select(DeletionRequest).filter_by(id=request_id, event_id=event.id)
    ).scalar_one_or_none()


class ResolutionRefused(ValueError):
    pass


def resolve_deletion(request, user, *, delete, refusal_reason=""):
    """Delete the data (erase NIP, phone, e-mail) or refuse with a reason the person sees. The caller commits."""
    refusal_reason = (refusal_reason or "").strip()[:2000]
    if not delete and not refusal_reason:
        raise ResolutionRefused("reason_required")
    now = utcnow()
    if delete:
        erase_personal_data(request.registration, now)
    request.status = REQUEST_DONE if delete else REQUEST_REFUSED
    request.refusal_reason = "" if delete else refusal_reason
    request.resolved_at, request.resolved_by_id = now, user.id
    record_access(user, request.registration.event, "deletion_request",
                  f"registration {request.registration_id}: {request.status}")


def access_log(tenant_filter, limit=200):
    """The latest accesses of the tenants the where-clause `tenant_filter` keeps."""
    return db.session.execute(
        db.select(PersonalDataAccess).where(tenant_filter)
        .order_by(PersonalDataAccess.created_at.desc(), PersonalDataAccess.id.desc()).limit(limit)
    ).scalars().all()
