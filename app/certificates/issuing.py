"""Issuing, revoking and re-issuing certificates. Services: plain arguments, the caller commits.

Numbers come from one sequence per event (unique (event, seq)); a registration has at most one
certificate in force (a unique index over the ones not revoked). Issuing runs for one event take
turns on the settings row's lock (settings.lock_certificate_settings), so the next number read
after the lock is free; the constraints are what make a slip impossible rather than unlikely.
"""
import re
import secrets
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import exists, func
from sqlalchemy.orm import selectinload

from app.certificates.eligibility import eligible_registration_ids
from app.certificates.numbering import check_pattern, format_number
from app.certificates.settings import certificate_settings, colliding_number, event_jp, lock_certificate_settings
from app.extensions import db
from app.formatting import date_span
from app.models import STATUS_REGISTERED, Attendance, Certificate, Organization, Registration, utcnow

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{27}")


class CertificateRefused(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


class NumberTaken(CertificateRefused):
    """The next number is one another event of the tenant has already issued (the settings were saved
    before that event issued it)."""

    def __init__(self, collision):
        super().__init__("number_taken")
        self.collision = collision


def _refuse_taken_numbers(event, settings, seq, now):
    """The same check as saving the settings, at issue time: raise NumberTaken if numbering from `seq`
    would repeat another event's number."""
    taken = colliding_number(event, settings.number_pattern, seq, _issue_date(event, settings, now))
    if taken is not None:
        raise NumberTaken(taken)


def new_verification_code():
    """160 random bits, URL-safe (27 characters): what the QR's verification URL ends in."""
    return secrets.token_urlsafe(20)


def _issue_date(event, settings, now):
    return settings.issue_date or now.astimezone(event.tz).date()


def _next_seq(event, settings):
    """The next free number of the event, from its settings' start; only meaningful under the settings lock."""
    highest = db.session.execute(
        db.select(func.max(Certificate.seq)).where(Certificate.event_id == event.id)
    ).scalar_one()
    return max((highest or 0) + 1, settings.seq_start or 1)


def _new_certificate(event, settings, person, seq, jp, now):
    """A certificate stating what it says at issue: `person` (id, full_name, nip, role, organization_name),
    the JP, the signer, the place and the date. Nothing in it follows later changes."""
    issued_on = _issue_date(event, settings, now)
    return Certificate(
        event_id=event.id, registration_id=person.id, seq=seq,
        number=format_number(settings.number_pattern, seq, issued_on),
        code=new_verification_code(), full_name=person.full_name, nip=person.nip or "",
        organization_name=person.organization_name, role=person.role, jp=jp,
        signer_name=settings.signer_name, signer_nip=settings.signer_nip or "",
        signer_position=settings.signer_position, issue_place=settings.issue_place,
        issued_on=issued_on, issued_at=now, revoke_reason="",
    )


def preview_certificate(event, registration, settings, *, now):
    """An unsaved certificate of `registration` as the current settings would make it (for the preview)."""
    person = SimpleNamespace(id=registration.id, full_name=registration.full_name, nip=registration.nip,
                             role=registration.role, organization_name=registration.organization.name)
    certificate = _new_certificate(event, settings, person, settings.seq_start or 1, event_jp(event, settings), now)
    certificate.code = "CONTOH" + "0" * 21
    return certificate


def _waiting_query(event, settings):
    """The eligible registrations of `event` that have never had a certificate, in the order numbers go."""
    return (
        db.select(Registration.id, Registration.full_name, Registration.nip, Registration.role,
                  Organization.name.label("organization_name"))
        .join(Organization, Organization.id == Registration.organization_id)
        .where(
            Registration.id.in_(eligible_registration_ids(event, settings)),
            ~exists().where(Certificate.registration_id == Registration.id),
        )
        .order_by(Organization.name, Registration.full_name, Registration.id)
    )


def event_over(event, now=None):
    """Whether the last day of `event` has ended in its time zone (an event without days never ends)."""
    ends = event.last_day_ends_at
    return ends is not None and (now or utcnow()) >= ends


@dataclass
class WouldIssue:
    """One certificate that issuing now would write: to whom, and what it would say."""

    full_name: str
    organization_name: str
    days_present: int
    days_total: int
    dates: str  # the event's dates, as the certificate states them
    jp: int


def would_issue(event):
    """What issue_certificates would write now, without writing it: [WouldIssue], in number order."""
    settings = certificate_settings(event)
    rows = db.session.execute(_waiting_query(event, settings)).all()
    present = dict(db.session.execute(
        db.select(Attendance.registration_id, func.count())
        .where(Attendance.event_id == event.id, Attendance.registration_id.in_([row.id for row in rows]))
        .group_by(Attendance.registration_id)
    ).tuples().all()) if rows else {}
    jp, dates = event_jp(event, settings), date_span(event.days)
    return [WouldIssue(row.full_name, row.organization_name, present.get(row.id, 0), len(event.days), dates, jp)
            for row in rows]


def issue_certificates(event, *, now=None):
    """Give every eligible registration of `event` that has never had a certificate one; return the new ones.

    Running it again adds only the newly eligible, numbered after the last one; nobody is renumbered.
    A revoked certificate is not replaced here (see reissue_certificate). Raises NumberTaken when the
    numbers would repeat another event's. The caller commits.
    """
    now = now or utcnow()
    settings = lock_certificate_settings(event)
    check_pattern(settings.number_pattern)
    jp = event_jp(event, settings)
    seq = _next_seq(event, settings)
    rows = db.session.execute(_waiting_query(event, settings)).all()
    if rows:
        _refuse_taken_numbers(event, settings, seq, now)
    issued = [_new_certificate(event, settings, person, seq + offset, jp, now) for offset, person in enumerate(rows)]
    db.session.add_all(issued)
    db.session.flush()
    return issued


def revoke_certificate(certificate, reason, *, now=None):
    """Mark `certificate` revoked, with the committee's reason. The caller commits."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateRefused("reason_required")
    if certificate.revoked_at is not None:
        raise CertificateRefused("already_revoked")
    certificate.revoked_at = now or utcnow()
    certificate.revoke_reason = reason[:300]
    db.session.flush()
    return certificate


def reissue_certificate(certificate, reason, *, now=None):
    """Revoke `certificate` and give its registration a new one, with the name and OPD as they are now.

    For a corrected name. The new certificate has a new number and code. The caller commits.
    """
    now = now or utcnow()
    event = certificate.event
    registration = certificate.registration
    if registration.status != STATUS_REGISTERED:
        raise CertificateRefused("registration_cancelled")
    settings = lock_certificate_settings(event)
    db.session.refresh(certificate)
    if certificate.revoked_at is None:
        revoke_certificate(certificate, reason, now=now)
    elif _active_certificate_id(registration.id) is not None:
        raise CertificateRefused("already_reissued")
    check_pattern(settings.number_pattern)
    seq = _next_seq(event, settings)
    _refuse_taken_numbers(event, settings, seq, now)
    person = SimpleNamespace(id=registration.id, full_name=registration.full_name, nip=registration.nip,
                             role=registration.role, organization_name=registration.organization.name)
    replacement = _new_certificate(event, settings, person, seq, event_jp(event, settings), now)
    db.session.add(replacement)
    db.session.flush()
    return replacement


def _active_certificate_id(registration_id):
    return db.session.execute(
        db.select(Certificate.id).where(Certificate.registration_id == registration_id,
                                        Certificate.revoked_at.is_(None))
    ).scalar_one_or_none()


def active_certificate(registration):
    """The registration's certificate in force, or None."""
    return db.session.execute(
        db.select(Certificate).where(Certificate.registration_id == registration.id,
                                     Certificate.revoked_at.is_(None))
    ).scalar_one_or_none()


def find_certificate_by_code(code):
    """The certificate with this verification code (revoked or not), or None."""
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        return None
    return db.session.execute(db.select(Certificate).filter_by(code=code)).scalar_one_or_none()


def find_certificate(event, certificate_id):
    return db.session.execute(
        db.select(Certificate).filter_by(id=certificate_id, event_id=event.id)
    ).scalar_one_or_none()


def event_certificates(event, *, active_only=False):
    """The event's certificates by number, each with its registration loaded (the console lists both)."""
    query = (
        db.select(Certificate).where(Certificate.event_id == event.id).order_by(Certificate.seq)
        .options(selectinload(Certificate.registration))
    )
    if active_only:
        query = query.where(Certificate.revoked_at.is_(None))
    return db.session.execute(query).scalars().all()


def certificate_counts(event, settings):
    """Eligible registrations, certificates in force, revoked ones, and the eligible still waiting for one."""
    eligible = eligible_registration_ids(event, settings).subquery()
    eligible_count = db.session.execute(db.select(func.count()).select_from(eligible)).scalar_one()
    waiting = db.session.execute(
        db.select(func.count()).select_from(eligible)
        .where(~exists().where(Certificate.registration_id == eligible.c.id))
    ).scalar_one()
    active, revoked = db.session.execute(
        db.select(
            func.count().filter(Certificate.revoked_at.is_(None)),
            func.count().filter(Certificate.revoked_at.is_not(None)),
        ).where(Certificate.event_id == event.id)
    ).one()
    return {"eligible": eligible_count, "active": active, "revoked": revoked, "waiting": waiting}


def preview_registration(event, settings):
    """A real participant for the preview: the first eligible one, else the first active one, else None."""
    query = (
        db.select(Registration).where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED)
        .order_by(Registration.id).limit(1)
    )
    eligible = db.session.execute(
        query.where(Registration.id.in_(eligible_registration_ids(event, settings)))
    ).scalar_one_or_none()
    return eligible or db.session.execute(query).scalar_one_or_none()
