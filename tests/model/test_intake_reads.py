"""The reads the daemon's intake and packer share with the faces (model.store.reads): each
answers what the writes left, and reading them all loads no ORM."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from frmr.model.applications.lifecycle import new_application
from frmr.model.rules.clock import utcnow
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.replacements import ReplacementOutcome
from frmr.model.store.account import Account
from frmr.model.store.tables import Attachment, AttachmentReplacement, Document

READS = """
import json, sys
from pathlib import Path
from frmr.model.store.locations import HomeLayout
from frmr.model.store.reads import read_store
from frmr.model.store.reads.applications import application_view, attached_files, document_files
from frmr.model.store.reads.intake import dropped_documents, latest_replacements
from frmr.model.store.reads.transitions import read_history

home, ref, old, new = sys.argv[1:]
with read_store(HomeLayout(Path(home))) as read:
    view = application_view(read.conn, read.layout.documents_dir, ref)
    seen = {
        "shown": [f.id for f in view.documents],
        "attached": {a: [f.id for f in files] for a, files in attached_files(read.conn).items()},
        "by_id": {i: f.file_name for i, f in document_files(read.conn, [old, new, "x"]).items()},
        "dropped": [[d.source_path, d.size, d.id] for d in dropped_documents(read.conn)],
        "latest": {p: r.outcome.value for p, r in latest_replacements(read.conn).items()},
        "history": [h.to_status.value for h in read_history(read.conn, view.app.id)],
    }
seen["orm"] = sorted(m for m in ("sqlalchemy", "sqlmodel", "alembic") if m in sys.modules)
print(json.dumps(seen, ensure_ascii=False))
"""


def test_the_intakes_reads_answer_what_was_written_without_the_orm(account: Account) -> None:
    view = new_application(account, specialty="Терапия", phone="9123456789", email="a@b.ru")
    source = str(Path(view.folder) / "скан.pdf")
    old = Document(sha256="a" * 64, size=3, kind=FileKind.PDF, file_name="скан.pdf",
                   source_path=source, deleted=True)  # fmt: skip
    new = Document(sha256="b" * 64, size=5, kind=FileKind.PDF, file_name="скан.pdf",
                   source_path=source)  # fmt: skip
    at = utcnow()
    with account.store.write() as session:
        session.add_all([old, new])
        session.flush()
        session.add(Attachment(application_id=view.app.id, document_id=new.id))
        # Two versions from one path: the newest row says what the path is now.
        for outcome, when in ((ReplacementOutcome.REPLACED, at), (ReplacementOutcome.KEPT, at)):
            session.add(
                AttachmentReplacement(
                    application_id=view.app.id, file_name="скан.pdf", source_path=source,
                    outcome=outcome, old_document_id=old.id, old_sha256=old.sha256,
                    old_size=old.size, new_document_id=new.id, at=when,
                )
            )  # fmt: skip
        session.add(
            AttachmentReplacement(
                application_id=view.app.id, file_name="другой.pdf", source_path=source + "2",
                outcome=ReplacementOutcome.REPLACED, old_document_id=old.id,
                old_sha256=old.sha256, old_size=old.size, at=at - timedelta(days=1),
            )
        )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-c", READS, str(account.home), view.app.id[:8], old.id, new.id],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen = json.loads(out.splitlines()[-1])
    assert seen == {
        "shown": [new.id],
        "attached": {view.app.id: [new.id]},
        "by_id": {old.id: "скан.pdf", new.id: "скан.pdf"},
        "dropped": [[source, 3, old.id], [source, 5, new.id]],
        "latest": {source: "kept", source + "2": "replaced"},
        "history": ["draft"],
        "orm": [],
    }
