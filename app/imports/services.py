"""Importing a list of participants: every row checked first, then all stored in one transaction, or none.

The rows meet the same rules as the registration form (rules.clean_participant),
the same uniqueness (NIP and e-mail per event, within the file too) and the same
quotas. The registration window does not apply: the committee imports lists
after the form has closed.
"""
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import STATUS_REGISTERED, Registration
from app.models.registration import BASIS_PUBLIC_TASK
from app.registration.rules import clean_participant
from app.registration.services import (
    duplicate_field,
    effective_quota,
    event_organizations,
    lock_for_registration,
)


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str | None
    code: str
    detail: str = ""


class ImportRefused(Exception):
    """Nothing was stored; `problems` lists every bad row."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _organization_lookup(event):
    """OPD short names and full names, case-insensitive, to the organization's id."""
    lookup = {}
    for _event_organization, organization in event_organizations(event):
        lookup[organization.short_name.casefold()] = organization.id
        lookup[organization.name.casefold()] = organization.id
    return lookup


def _taken(event, nips, emails):
    """NIPs and e-mails of this list already registered for the event (cancelled ones too: they hold the key)."""
    if not nips and not emails:
        return set(), set()
    rows = db.session.execute(
        db.select(Registration.nip, Registration.email).where(
            Registration.event_id == event.id,
            or_(Registration.nip.in_(nips or [""]), Registration.email.in_(emails or [""])),
        )
    ).all()
    return {nip for nip, _ in rows if nip}, {email for _, email in rows}


def _check_rows(event, rows):
    """Clean every row; returns (cleaned rows, problems)."""
    organizations = _organization_lookup(event)
    problems, cleaned_rows = [], []
    first_seen: dict[str, dict[str, int]] = {"nip": {}, "email": {}}
    for row in rows:
        cleaned, errors = clean_participant(row.values, foreign_phones_allowed=event.foreign_phones_allowed)
        row_problems = [RowProblem(row.number, field, code) for field, code in errors.items()]
        if row.nip_was_number and "nip" not in errors:
            row_problems.append(RowProblem(row.number, "nip", "nip_as_number"))
        organization_id = organizations.get(row.values.get("organization", "").strip().casefold())
        if organization_id is None:
            row_problems.append(RowProblem(row.number, "organization", "organization_unknown",
                                           row.values.get("organization", "")))
        for field in ("nip", "email"):
            value = cleaned.get(field)
            if not value or field in errors:
                continue
            if value in first_seen[field]:
                row_problems.append(RowProblem(row.number, field, "duplicate_in_file",
                                               str(first_seen[field][value])))
            else:
                first_seen[field][value] = row.number
        problems.extend(row_problems)
        if not row_problems:
            cleaned_rows.append((row.number, organization_id, cleaned))
    taken_nips, taken_emails = _taken(event, list(first_seen["nip"]), list(first_seen["email"]))
    for number, _organization_id, cleaned in cleaned_rows:
        if cleaned["nip"] in taken_nips:
            problems.append(RowProblem(number, "nip", "duplicate_nip"))
        if cleaned["email"] in taken_emails:
            problems.append(RowProblem(number, "email", "duplicate_email"))
    return cleaned_rows, problems


def _check_room(event, cleaned_rows):
    """Rows beyond an OPD's quota or the event's capacity, counted under the registration locks."""
    # Locked in a fixed order, so two imports into the same OPDs cannot deadlock.
    quotas = {
        organization_id: effective_quota(event, lock_for_registration(event, organization_id))
        for organization_id in sorted({organization_id for _n, organization_id, _c in cleaned_rows})
    }
    counts: dict[int, int] = dict(db.session.execute(
        db.select(Registration.organization_id, func.count())
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED)
        .group_by(Registration.organization_id)
    ).tuples().all())
    total = sum(counts.values())
    problems, added = [], Counter[int]()
    for number, organization_id, _cleaned in cleaned_rows:
        added[organization_id] += 1
        quota = quotas[organization_id]
        if quota is not None and counts.get(organization_id, 0) + added[organization_id] > quota:
            problems.append(RowProblem(number, "organization", "quota_full"))
        elif event.capacity is not None and total + sum(added.values()) > event.capacity:
            problems.append(RowProblem(number, None, "capacity_full"))
    return problems


def import_participants(event, rows):
    """Store every row of `rows` (SheetRow) as a registration of `event`, or none of them.

    Raises ImportRefused with every problem found; the session is then rolled back.
    The caller commits. Returns the number of registrations stored.
    """
    cleaned_rows, problems = _check_rows(event, rows)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    problems = _check_room(event, cleaned_rows)
    if problems:
        db.session.rollback()
        raise ImportRefused(problems)
    try:
        for _number, organization_id, cleaned in cleaned_rows:
            # The committee's public task, not the person's consent: they ticked no box here.
            db.session.add(Registration(event_id=event.id, organization_id=organization_id, source="import",
                                        legal_basis=BASIS_PUBLIC_TASK, consented_at=None, **cleaned))
        db.session.flush()
    except IntegrityError as error:
        # Someone registered through the form with one of these NIPs or e-mails in the meantime.
        db.session.rollback()
        field = duplicate_field(error)
        if field is None:
            raise
        raise ImportRefused([RowProblem(0, field, f"duplicate_{field}")]) from None
    return len(cleaned_rows)
