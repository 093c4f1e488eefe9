"""The document library: the live files, oldest first."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from frmr.model.rules.filetypes import FileKind
from frmr.model.store.reads import stored_utc

_LIBRARY = (
    "SELECT id, sha256, file_name, size, kind, title, imported_at, checklist_item FROM document "
    "WHERE NOT deleted ORDER BY imported_at, rowid"
)


@dataclass(frozen=True)
class LibraryDocument:
    """A live row of model.store.tables.Document, as the library lists it."""

    id: str
    sha256: str
    file_name: str
    size: int
    kind: FileKind
    title: str | None
    imported_at: datetime
    # The checklist item the worker tagged it with (model.readiness.checklist), if any.
    checklist_item: str | None


def library_documents(conn: sqlite3.Connection) -> list[LibraryDocument]:
    return [
        LibraryDocument(
            str(doc_id), str(sha256), str(name), int(size), FileKind(kind), title,
            stored_utc(imported_at), item,
        )
        for doc_id, sha256, name, size, kind, title, imported_at, item in conn.execute(_LIBRARY)
    ]  # fmt: skip
