"""The log of the committee's access to personal data (who opened, exported or imported what).

Every domain's console writes it; app/privacy/ shows it to tenant admins (access_log)."""
from app.extensions import db
from app.models import PersonalDataAccess


def record_access(user, event, action, detail=""):
    """Log the committee's access to personal data of `event`. The caller commits."""
    db.session.add(PersonalDataAccess(tenant_id=event.tenant_id, event_id=event.id,
                                      user_id=getattr(user, "id", None), action=action, detail=(detail or "")[:300]))


def record_ledger_access(user, events, action, detail=""):
    """Log an access spanning `events` (the JP ledger): one row per tenant, naming no single event.
    The caller commits."""
    for tenant_id in sorted({event.tenant_id for event in events}):
        db.session.add(PersonalDataAccess(tenant_id=tenant_id, event_id=None, user_id=getattr(user, "id", None),
                                          action=action, detail=(detail or "")[:300]))
