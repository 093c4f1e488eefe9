"""The sync engine: push what changed locally, deliver filed applications, pull decisions.

One `run_cycle` does, in order: adopt the registry's preloaded card and portfolio into an
empty store, push the card and portfolio (sync/profile_push.py), upload documents and push
the portfolio's additional documents, which name uploaded files (sync/documents_push.py),
deliver due applications and push cancellations (sync/delivering.py), pull the changes feed
(sync/changes.py). Each answer is recorded in the same write transaction as its bookkeeping
(model/store/sync_rows.py), and every create carries an idempotency key that was persisted
before the request left, so a crash at any point can't make a duplicate.
"""

from __future__ import annotations

from frmr.model.store.engine import Store
from frmr.model.store.tables import AdditionalDocument, Document, Person, SyncColumns
from frmr.sync import changes, delivering, documents_push, profile_push
from frmr.sync.client import RegistryClient
from frmr.sync.errors import RegistryUnavailable
from frmr.sync.link import CycleReport, Emit, Link, Schedule

# The tables whose edits a cycle pushes (applications go by their own submission rows).
PUSHED_TABLES: tuple[type[SyncColumns], ...] = (
    Person,
    *(table for table, _ in profile_push.COLLECTION_TABLES),
    Document,
    AdditionalDocument,
)


class SyncEngine:
    def __init__(
        self,
        store: Store,
        client: RegistryClient,
        *,
        schedule: Schedule | None = None,
        emit: Emit | None = None,
    ) -> None:
        self.link = Link(
            store=store,
            client=client,
            schedule=schedule or Schedule(),
            emit=emit or (lambda _event, _fields: None),
        )

    def run_cycle(self) -> CycleReport:
        """One full sync. LoginRequired propagates; when the registry is unreachable, due
        submissions are marked «Не доставлено» and RegistryUnavailable propagates."""
        link, report = self.link, CycleReport()
        try:
            profile_push.adopt_remote_profile(link)
            profile_push.push_card(link, report)
            profile_push.push_collections(link, report)
            documents_push.push_documents(link, report)
            documents_push.push_additional_documents(link, report)
            delivering.deliver_due(link, report)
            delivering.push_cancellations(link, report)
            changes.pull_changes(link, report)
        except RegistryUnavailable as error:
            report.not_delivered += delivering.fail_due_submissions(link, error)
            raise
        return report
