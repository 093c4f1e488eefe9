"""The document library: the live files, oldest first, and the names of linked ones."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import format_size
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

    @property
    def label(self) -> str:
        """How a linked file reads in a picker: its name, then its size."""
        return f"{self.file_name} ({format_size(self.size)})"


def library_documents(conn: sqlite3.Connection) -> list[LibraryDocument]:
    return [
        LibraryDocument(
            str(doc_id), str(sha256), str(name), int(size), FileKind(kind), title,
            stored_utc(imported_at), item,
        )
        for doc_id, sha256, name, size, kind, title, imported_at, item in conn.execute(_LIBRARY)
    ]  # fmt: skip


def file_names(conn: sqlite3.Connection, ids: set[str]) -> dict[str, str]:
    """The file name of each document in `ids`, as a list shows a link: tombstoned ones too,
    since a link may outlive its file."""
    marks = ", ".join("?" * len(ids))
    query = f"SELECT id, file_name FROM document WHERE id IN ({marks})"
    return {str(doc_id): str(name) for doc_id, name in conn.execute(query, sorted(ids))}
