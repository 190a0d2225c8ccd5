"""Creating and finding tenants."""
import re

from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Tenant

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class TenantRefused(ValueError):
    pass


def find_tenant(slug):
    """The tenant with this slug, or None."""
    return db.session.execute(db.select(Tenant).filter_by(slug=slug)).scalar_one_or_none()


def list_tenants():
    return db.session.execute(db.select(Tenant).order_by(Tenant.name)).scalars().all()


def create_tenant(slug, name, short_name=""):
    """A new tenant; if the slug exists, its name (and short name, if given) change. Returns
    (tenant, created). The caller commits."""
    slug, name = (slug or "").strip(), (name or "").strip()
    if not SLUG.match(slug) or len(slug) > 80:
        raise TenantRefused("the slug takes lower-case letters, digits and dashes (at most 80)")
    if not name or len(name) > 200:
        raise TenantRefused("the name is required (at most 200 characters)")
    tenant = find_tenant(slug)
    if tenant is not None:
        tenant.name = name
        tenant.short_name = short_name or tenant.short_name
        return tenant, False
    tenant = Tenant(slug=slug, name=name, short_name=short_name or name)
    try:
        with db.session.begin_nested():
            db.session.add(tenant)
    except IntegrityError:  # created by someone else in the meantime
        return find_tenant(slug), False
    return tenant, True
