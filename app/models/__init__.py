"""Every model, imported here so that Flask-Migrate sees them all."""
from app.models.access import EventOperator
from app.models.attendance import CHECKIN_METHODS, Attendance, CheckinMethod, ScanLog, ScanResult
from app.models.certificate import DEFAULT_NUMBER_PATTERN, JP_ROUNDING, Certificate, CertificateSettings
from app.models.evaluation import (
    Answer,
    Completion,
    EvaluationForm,
    FormKind,
    PendingAnswers,
    Question,
    QuestionKind,
    Response,
)
from app.models.event import (
    VISIBILITY_PARTICIPANTS,
    VISIBILITY_PUBLIC,
    AgendaItem,
    Event,
    EventDay,
    EventStatus,
    Material,
    Visibility,
)
from app.models.login_failure import LoginFailure
from app.models.message import (
    CHANNEL_EMAIL,
    CHANNEL_WHATSAPP,
    KIND_ABSENT,
    KIND_CONFIRMATION,
    KIND_FREE,
    KIND_REMINDER_BEFORE,
    KIND_REMINDER_DAY,
    KIND_TICKET,
    MESSAGE_FAILED,
    MESSAGE_KINDS,
    MESSAGE_QUEUED,
    MESSAGE_SENDING,
    MESSAGE_SENT,
    REMINDER_DONE,
    REMINDER_PENDING,
    MessageTemplate,
    OutboxMessage,
    RegistrationChange,
    ScheduledReminder,
    TemplateKind,
)
from app.models.organization import ORGANIZATION_KINDS, EventOrganization, Organization, OrganizationKind
from app.models.privacy import DeletionRequest, PersonalDataAccess
from app.models.registration import STATUS_CANCELLED, STATUS_REGISTERED, Registration, RegistrationStatus
from app.models.tenant import Tenant
from app.models.types import UTCDateTime, new_ticket_token, utcnow
from app.models.user import (
    ROLE_ADMIN,
    ROLE_COMMITTEE,
    ROLE_OBSERVER,
    ROLE_OPERATOR,
    ROLES,
    ApiToken,
    Role,
    User,
    hash_api_token,
)

__all__ = [
    "AgendaItem", "ApiToken", "Attendance", "CHECKIN_METHODS", "Event", "EventDay", "EventOperator",
    "EventOrganization", "Material", "ORGANIZATION_KINDS", "Organization", "ROLES", "ROLE_ADMIN", "ROLE_OPERATOR",
    "Registration", "STATUS_CANCELLED", "STATUS_REGISTERED", "ScanLog", "UTCDateTime", "User",
    "VISIBILITY_PARTICIPANTS", "VISIBILITY_PUBLIC", "hash_api_token", "new_ticket_token", "utcnow",
    "CheckinMethod", "EventStatus", "OrganizationKind", "RegistrationStatus", "Role", "ScanResult", "Visibility",
    "Answer", "Completion", "EvaluationForm", "FormKind", "PendingAnswers", "Question", "QuestionKind", "Response",
    "Tenant", "DeletionRequest", "PersonalDataAccess", "ROLE_COMMITTEE", "ROLE_OBSERVER",
    "Certificate", "CertificateSettings", "DEFAULT_NUMBER_PATTERN", "JP_ROUNDING",
]
__all__ += ["LoginFailure"]
__all__ += [
    "KIND_ABSENT", "KIND_CONFIRMATION", "KIND_FREE", "KIND_REMINDER_BEFORE", "KIND_REMINDER_DAY", "KIND_TICKET",
    "MESSAGE_KINDS", "REMINDER_DONE", "REMINDER_PENDING", "CHANNEL_EMAIL", "CHANNEL_WHATSAPP", "MESSAGE_FAILED",
    "MESSAGE_QUEUED", "MESSAGE_SENDING", "MESSAGE_SENT",
    "MessageTemplate", "OutboxMessage", "RegistrationChange", "ScheduledReminder", "TemplateKind",
]
from app.models.committee import AdminAuditEntry, EventPaperwork  # noqa: E402

__all__ += ["AdminAuditEntry", "EventPaperwork"]
