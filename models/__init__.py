"""Typed SQLAlchemy models, one entity family per module.

Importing this package registers every model on the metadata (Alembic and create_all need that).
"""
from models.agency import Agency
from models.alert import Notification, SavedSearch
from models.audit import AuditEntry
from models.base import AgencyOwned, utcnow
from models.calendar import Holiday, Setting
from models.case import (
           CASE_KINDS,
           CASE_PRIORITIES,
           CASE_STATUSES,
           OPEN_STATUSES,
           CaseEvent,
           CasePublication,
           CaseRefCounter,
           CaseSource,
           PublicQuestion,
)
from models.case_coverage import COVERAGE_STATES, CaseCoverage
from models.case_notification import NOTICE_KINDS, CaseNotification
from models.conference import (
           CONFERENCE_COVERAGE_STATES,
           CONFERENCE_STATUSES,
           RSVP_STATES,
           ConferenceCommitment,
           ConferenceCoverage,
           ConferenceEvent,
           ConferenceInvitation,
           ConferencePhoto,
           ConferenceQuestion,
           ConferenceTarget,
           PressConference,
)
from models.contact import (
           CONTACT_CHANNELS,
           CONTACT_DIRECTIONS,
           Contact,
           contact_cases,
           contact_items,
)
from models.directory import (
           HANDLE_KINDS,
           PHONE_LABELS,
           PREFERRED_CHANNELS,
           DirectoryNote,
           Journalist,
           JournalistPhone,
           journalist_outlets,
)
from models.evidence import (
           CLAUSES,
           CLAUSES_BY_NUMBER,
           EVIDENCE_CLAUSE_NUMBERS,
           EvidenceClause,
           EvidenceRecord,
)
from models.feed import Feed
from models.form_submission import FormSubmission
from models.item import Item, ItemSighting, MinhashBand, StoryCluster
from models.learning import (
           MODEL_STATES,
           SUGGESTION_STATES,
           ClassifierModel,
           RouteSuggestion,
)
from models.outlet import OUTLET_KINDS, OUTLET_SCOPES, Outlet
from models.portal import PortalChange, PortalCheck
from models.question_label import QuestionLabel
from models.routing import (
           ROUTE_STATUSES,
           ROUTED_STATUSES,
           ItemRoute,
           RoutingRule,
           RuleBackfill,
           item_route_rules,
)
from models.routing_backlog import RoutingBacklog
from models.search_outbox import SearchOutbox
from models.session import UserSession
from models.throttle import ThrottleCounter
from models.user import ROLES, RecoveryCode, User

__all__ = [
           "CASE_KINDS",
           "CASE_PRIORITIES",
           "CASE_STATUSES",
           "CLAUSES",
           "CLAUSES_BY_NUMBER",
           "CONFERENCE_COVERAGE_STATES",
           "CONFERENCE_STATUSES",
           "CONTACT_CHANNELS",
           "CONTACT_DIRECTIONS",
           "COVERAGE_STATES",
           "EVIDENCE_CLAUSE_NUMBERS",
           "HANDLE_KINDS",
           "MODEL_STATES",
           "NOTICE_KINDS",
           "OPEN_STATUSES",
           "OUTLET_KINDS",
           "OUTLET_SCOPES",
           "PHONE_LABELS",
           "PREFERRED_CHANNELS",
           "ROLES",
           "ROUTED_STATUSES",
           "ROUTE_STATUSES",
           "RSVP_STATES",
           "SUGGESTION_STATES",
           "Agency",
           "AgencyOwned",
           "AuditEntry",
           "CaseCoverage",
           "CaseEvent",
           "CaseNotification",
           "CasePublication",
           "CaseRefCounter",
           "CaseSource",
           "ClassifierModel",
           "ConferenceCommitment",
           "ConferenceCoverage",
           "ConferenceEvent",
           "ConferenceInvitation",
           "ConferencePhoto",
           "ConferenceQuestion",
           "ConferenceTarget",
           "Contact",
           "DirectoryNote",
           "EvidenceClause",
           "EvidenceRecord",
           "Feed",
           "FormSubmission",
           "Holiday",
           "Item",
           "ItemRoute",
           "ItemSighting",
           "Journalist",
           "JournalistPhone",
           "MinhashBand",
           "Notification",
           "Outlet",
           "PortalChange",
           "PortalCheck",
           "PressConference",
           "PublicQuestion",
           "QuestionLabel",
           "RecoveryCode",
           "RouteSuggestion",
           "RoutingBacklog",
           "RoutingRule",
           "RuleBackfill",
           "SavedSearch",
           "SearchOutbox",
           "Setting",
           "StoryCluster",
           "ThrottleCounter",
           "User",
           "UserSession",
           "contact_cases",
           "contact_items",
           "item_route_rules",
           "journalist_outlets",
           "utcnow",
]
