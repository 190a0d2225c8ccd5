"""Every model, imported here so that Flask-Migrate sees them all."""
from app.models.access import EventOperator
from app.models.attendance import CHECKIN_METHODS, Attendance, CheckinMethod, ScanLog, ScanResult
from app.models.evaluation import Answer, Completion, EvaluationForm, FormKind, Question, QuestionKind, Response
from app.models.event import (
    VISIBILITY_PARTICIPANTS,
    VISIBILITY_PUBLIC,
    AgendaItem,
    Event,
    EventDay,
    Material,
    Visibility,
)
from app.models.login_failure import LoginFailure
from app.models.organization import ORGANIZATION_KINDS, EventOrganization, Organization, OrganizationKind
from app.models.registration import STATUS_CANCELLED, STATUS_REGISTERED, Registration, RegistrationStatus
from app.models.types import UTCDateTime, new_ticket_token, utcnow
from app.models.user import ROLE_ADMIN, ROLE_OPERATOR, ROLES, ApiToken, Role, User, hash_api_token

__all__ = [
    "AgendaItem", "ApiToken", "Attendance", "CHECKIN_METHODS", "Event", "EventDay", "EventOperator",
    "EventOrganization", "Material", "ORGANIZATION_KINDS", "Organization", "ROLES", "ROLE_ADMIN", "ROLE_OPERATOR",
    "Registration", "STATUS_CANCELLED", "STATUS_REGISTERED", "ScanLog", "UTCDateTime", "User",
    "VISIBILITY_PARTICIPANTS", "VISIBILITY_PUBLIC", "hash_api_token", "new_ticket_token", "utcnow",
    "CheckinMethod", "OrganizationKind", "RegistrationStatus", "Role", "ScanResult", "Visibility",
    "Answer", "Completion", "EvaluationForm", "FormKind", "Question", "QuestionKind", "Response",
]
__all__ += ["LoginFailure"]
from app.models.committee import AdminAuditEntry, EventPaperwork  # noqa: E402

__all__ += ["AdminAuditEntry", "EventPaperwork"]
