"""Build test data through the services, committed, with sensible defaults."""
import itertools
from datetime import UTC, date, datetime, timedelta

from app.auth.services import create_user, issue_api_token
from app.events.services import add_organizations_to_event, create_event, upsert_organizations
from app.extensions import db
from app.models import EventStatus
from app.registration.services import register_participant
from app.tenants.services import create_tenant

PASSWORD = "rahasia-panitia-123"
OPEN_UNTIL = datetime(2099, 12, 31, tzinfo=UTC)
_numbers = itertools.count(1)


def tenant(slug="kota-uji", name="Pemerintah Kota Uji"):
    """The tenant `slug`, created if needed (every factory's default tenant is kota-uji)."""
    found, _created = create_tenant(slug, name)
    db.session.commit()
    return found


_default_tenant = tenant


def organizations(n=3, kind="dinas", tenant=None):
    rows = [
        {"short_name": f"OPD{i}", "name": f"Dinas Contoh {i}", "kind": kind} for i in range(1, n + 1)
    ]
    found = upsert_organizations(rows, tenant or _default_tenant())
    db.session.commit()
    return found


def event(slug="bimtek-uji", dates=(date(2022, 6, 13), date(2022, 6, 14)), opds=3, quota=3, tenant=None, **fields):
    """An event of `tenant` (default kota-uji) with its days and `opds` of the tenant's organizations
    taking part, each with `quota` places; open (not a draft) unless `status` says otherwise.

    Registration closes by itself when the last day ends; the test events took place in 2022, so
    their registration is kept open by a closing time far ahead unless a test gives one (or None).
    """
    tenant = tenant or _default_tenant()
    fields.setdefault("registration_closes_at", OPEN_UNTIL)
    fields.setdefault("status", EventStatus.OPEN)  # a draft only where a test asks for one
    created = create_event(
        tenant=tenant,
        slug=slug,
        title=fields.pop("title", "Bimtek Uji Coba"),
        organizer_name=fields.pop("organizer_name", "Diskominfo Kota Uji"),
        venue=fields.pop("venue", "Hotel Uji, Serang"),
        dates=list(dates),
        default_quota=quota,
        **fields,
    )
    add_organizations_to_event(created, organizations(opds, tenant=tenant))
    db.session.commit()
    return created


def nip(n):
    """A NIP of the right structure, different for every n: born 1970-01-01 plus n // 999 days,
    CPNS from January 2005, a man, serial n % 999 + 1."""
    born = date(1970, 1, 1) + timedelta(days=n // 999)
    return f"{born:%Y%m%d}2005011{n % 999 + 1:03d}"


def participant(**overrides):
    n = next(_numbers)
    data = {
        "full_name": f"Peserta Uji {n}",
        "nip": nip(n),
        "position": "Analis",
        "rank": "Penata (III/c)",
        "phone": f"+62812{n:08d}",
        "email": f"peserta{n}@example.go.id",
    }
    data.update(overrides)
    return data


def registration(event, organization=None, **overrides):
    if organization is None:
        organization = event_organization_list(event)[0]
    created = register_participant(event, organization.id, participant(**overrides))
    db.session.commit()
    return created


def event_organization_list(event):
    from app.registration.services import event_organizations

    return [organization for _eo, organization in event_organizations(event)]


def user(email="admin@example.go.id", role="admin", password=PASSWORD, tenant=None):
    """An account; `tenant` scopes it (an admin without one is the install administrator)."""
    created = create_user(email, password, role, tenant=tenant)
    db.session.commit()
    return created


def api_token(user):
    secret = issue_api_token(user)
    db.session.commit()
    return secret
