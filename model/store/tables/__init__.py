"""Every table of the local store, each group loaded when one of its names is first asked for.

Building a SQLModel table costs a few milliseconds of CPU (its columns, its mapper): 0.08 s
for all of them, paid by every write command. `frmr profile set` needs the card's three
tables only, `frmr notify` the notifications'. A group is closed under foreign keys (a row's
insert resolves the tables it refers to): documents and applications load together, and with
each table that refers to them. `metadata` and `SYNCED_TABLES` load every group: migrations
and a store's export need them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from frmr.model.store.tables import base
from frmr.model.store.tables.base import SyncColumns, new_id

if TYPE_CHECKING:
    from sqlalchemy import MetaData

    from frmr.model.store.tables.applications import (
        Application,
        Attachment,
        StatusChange,
        SyncState,
    )
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

    metadata: MetaData
    SYNCED_TABLES: tuple[type[SyncColumns], ...]

__all__ = [
    "SYNCED_TABLES",
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

# Each module's group: the modules its tables' foreign keys lead to, itself included.
_GROUPS: dict[str, tuple[str, ...]] = {
    "person": ("person",),
    "notifications": ("notifications",),
    "applications": ("applications", "documents"),
    "documents": ("documents", "applications"),
    "packing": ("packing", "applications", "documents"),
    "portfolio": ("portfolio", "documents", "applications"),
    "proposals": ("proposals", "portfolio", "documents", "applications"),
}
_MODULE_OF = {
    **dict.fromkeys(("Person", "IdentityDocument", "Address", "AddressKind"), "person"),
    **dict.fromkeys(("Notification", "NotificationChoice"), "notifications"),
    **dict.fromkeys(("Application", "Attachment", "StatusChange", "SyncState"), "applications"),
    **dict.fromkeys(
        ("AttachmentReplacement", "Document", "RejectedFile", "ReplacementOutcome"), "documents"
    ),
    "PackJob": "packing",
    **dict.fromkeys(
        (
            "AdditionalDocument",
            "Certificate",
            "CertificateKind",
            "Course",
            "CourseKind",
            "Education",
            "EducationKind",
            "Employment",
            "PortfolioPart",
            "PositionType",
            "ProfessionalReport",
            "ReportVariant",
            "Skill",
        ),
        "portfolio",
    ),
    **dict.fromkeys(("CourseProposal", "ProposalStatus"), "proposals"),
}
# Parents before children: exports and imports rely on this order for foreign keys.
_SYNCED_ORDER = (
    "Person",
    "IdentityDocument",
    "Address",
    "Education",
    "Course",
    "Certificate",
    "Employment",
    "Skill",
    "ProfessionalReport",
    "Document",
    "AdditionalDocument",
    "Application",
    "Attachment",
)


def _load(module: str) -> Any:
    for member in _GROUPS[module]:
        importlib.import_module(f"{__name__}.{member}")
    return importlib.import_module(f"{__name__}.{module}")


def load_all() -> None:
    """Every table registered in `metadata`."""
    for module in _GROUPS:
        _load(module)


def __getattr__(name: str) -> Any:
    if name == "metadata":
        load_all()
        value: Any = base.metadata
    elif name == "SYNCED_TABLES":
        value = tuple(__getattr__(table) for table in _SYNCED_ORDER)
    elif name in _MODULE_OF:
        value = getattr(_load(_MODULE_OF[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
