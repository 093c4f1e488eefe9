"""Every table of the local store; importing this module registers them all in `metadata`."""

from frmr.model.store.tables.applications import Application, Attachment, StatusChange, SyncState
from frmr.model.store.tables.base import SyncColumns, metadata, new_id
from frmr.model.store.tables.documents import (
    AttachmentReplacement,
    Document,
    RejectedFile,
    ReplacementOutcome,
)
from frmr.model.store.tables.notifications import Notification, NotificationChoice
from frmr.model.store.tables.packing import PackJob
from frmr.model.store.tables.person import Address, AddressKind, IdentityDocument, Person
from frmr.model.store.tables.portfolio import (
    AdditionalDocument,
    Certificate,
    CertificateKind,
    Course,
    CourseKind,
    Education,
    EducationKind,
    Employment,
    PortfolioPart,
    PositionType,
    ProfessionalReport,
    ReportVariant,
    Skill,
)
from frmr.model.store.tables.proposals import CourseProposal, ProposalStatus

__all__ = [
    "AdditionalDocument",
    "Address",
    "AddressKind",
    "Application",
    "Attachment",
    "AttachmentReplacement",
    "Certificate",
    "CertificateKind",
    "Course",
    "CourseKind",
    "CourseProposal",
    "Document",
    "Education",
    "EducationKind",
    "Employment",
    "IdentityDocument",
    "Notification",
    "NotificationChoice",
    "PackJob",
    "Person",
    "PortfolioPart",
    "PositionType",
    "ProfessionalReport",
    "ProposalStatus",
    "RejectedFile",
    "ReplacementOutcome",
    "ReportVariant",
    "Skill",
    "StatusChange",
    "SyncColumns",
    "SyncState",
    "metadata",
    "new_id",
]

# Parents before children: exports and imports rely on this order for foreign keys.
SYNCED_TABLES: tuple[type[SyncColumns], ...] = (
    Person,
    IdentityDocument,
    Address,
    Education,
    Course,
    Certificate,
    Employment,
    Skill,
    ProfessionalReport,
    Document,
    AdditionalDocument,
    Application,
    Attachment,
)
