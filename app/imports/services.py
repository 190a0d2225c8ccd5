"""Importing a list of participants: every row checked first, then all stored in one transaction, or none.

The rows meet the same rules as the registration form (rules.clean_participant),
the same uniqueness (NIP and e-mail per event, within the file too) and the same
quotas, except that a row needs only a name and an OPD: most OPD lists have no e-mail,
and position, phone and e-mail may be empty (rules.COMMITTEE_OPTIONAL). The registration
window does not apply: the committee imports lists after the form has closed.
"""
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError

from app.events.opd_search import OpdMatcher
from app.extensions import db
from app.models import STATUS_REGISTERED, Organization, Registration
from app.models.registration import BASIS_PUBLIC_TASK, REGISTRATION_ROLES, ROLE_PESERTA
from app.registration.services import (
    duplicate_field,
    effective_quota,
    event_organizations,
    lock_for_registration,
)
from app.values import COMMITTEE_OPTIONAL, clean_participant


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str | None
    code: str
    detail: str | dict = ""  # a dict fills a message with several figures (the quota ones)


class ImportRefused(Exception):
    """Nothing was stored; `problems` lists every bad row."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _organization_matcher(event):
    """The event's OPDs, found the way the registration form's OPD search finds them."""
    return OpdMatcher(organization for _event_organization, organization in event_organizations(event))


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
    return {nip for nip, _ in rows if nip}, {email for _, email in rows if email}


def _check_rows(event, rows):
    """Clean every row; returns (cleaned rows, problems, (row number, OPD) of every participant row whose OPD is
    known: narasumber, moderators and panitia take no seat)."""
    organizations = _organization_matcher(event)
    problems, cleaned_rows, placed = [], [], []
    first_seen: dict[str, dict[str, int]] = {"nip": {}, "email": {}}
    for row in rows:
        cleaned, errors = clean_participant(row.values, foreign_phones_allowed=event.foreign_phones_allowed,
                                            optional=COMMITTEE_OPTIONAL)
        if row.nip_was_number:  # whatever is left of it, the NIP lost its last digits: say why
            errors["nip"] = "nip_as_number"
        row_problems = [RowProblem(row.number, field, code) for field, code in errors.items()]
        role = (row.values.get("role") or "").strip().casefold() or ROLE_PESERTA
        if role not in REGISTRATION_ROLES:
            row_problems.append(RowProblem(row.number, "role", "role_unknown", row.values.get("role", "")))
        typed = row.values.get("organization", "")
        candidates = organizations.candidates(typed)
        if not candidates:
            row_problems.append(RowProblem(row.number, "organization", "organization_unknown", typed))
        elif len(candidates) > 1:  # never a guess between two OPDs
            row_problems.append(RowProblem(row.number, "organization", "organization_ambiguous", {
                "typed": typed, "candidates": ", ".join(sorted(o.short_name for o in candidates))}))
        elif role == ROLE_PESERTA:  # narasumber, moderators and panitia take no seat of the quota
            placed.append((row.number, candidates[0]))
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
            cleaned_rows.append((row.number, candidates[0].id, {**cleaned, "role": role}))
    taken_nips, taken_emails = _taken(event, list(first_seen["nip"]), list(first_seen["email"]))
    for number, _organization_id, cleaned in cleaned_rows:
        if cleaned["nip"] and cleaned["nip"] in taken_nips:
            problems.append(RowProblem(number, "nip", "duplicate_nip"))
        if cleaned["email"] and cleaned["email"] in taken_emails:
            problems.append(RowProblem(number, "email", "duplicate_email"))
    return cleaned_rows, problems, placed


def _check_room(event, placed):
    """One problem per OPD the file takes past its quota, and one if it takes the event past its capacity.

    Counted for every row whose OPD is known, bad rows included: once corrected they take a place too.
    Counted under the registration locks, so the answer holds until the caller commits or rolls back.
    """
    by_organization: dict[int, tuple[Organization, list[int]]] = {}
    for number, organization in placed:
        by_organization.setdefault(organization.id, (organization, []))[1].append(number)
    # Locked in a fixed order, so two imports into the same OPDs cannot deadlock.
    quotas = {
        organization_id: effective_quota(event, lock_for_registration(event, organization_id))
        for organization_id in sorted(by_organization)
    }
    counts: dict[int, int] = dict(db.session.execute(
        db.select(Registration.organization_id, func.count())
        .where(Registration.event_id == event.id, Registration.status == STATUS_REGISTERED,
               Registration.role == ROLE_PESERTA)
        .group_by(Registration.organization_id)
    ).tuples().all())
    problems = []
    for organization_id, (organization, numbers) in by_organization.items():
        quota, registered = quotas[organization_id], counts.get(organization_id, 0)
        if quota is not None and registered + len(numbers) > quota:
            first_beyond = numbers[max(quota - registered, 0)]
            problems.append(RowProblem(first_beyond, "organization", "quota_exceeded", {
                "opd": organization.short_name, "quota": quota, "registered": registered,
                "adding": len(numbers), "over": registered + len(numbers) - quota,
            }))
    total = sum(counts.values())
    if event.capacity is not None and total + len(placed) > event.capacity:
        problems.append(RowProblem(placed[max(event.capacity - total, 0)][0], None, "capacity_exceeded", {
            "capacity": event.capacity, "registered": total, "adding": len(placed),
            "over": total + len(placed) - event.capacity,
        }))
    return problems


def import_participants(event, rows):
    """Store every row of `rows` (SheetRow) as a registration of `event`, or none of them.

    Raises ImportRefused with every problem found, quotas included, in one pass; the session is
    then rolled back.
    The caller commits. Returns the number of registrations stored.
    """
    cleaned_rows, problems, placed = _check_rows(event, rows)
    problems += _check_room(event, placed)
    if problems:
        db.session.rollback()  # the locks _check_room took
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
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
