"""The lists of «Портфолио» and «Профиль» (model.portfolio.collections): their live rows as
plain records, with the library files the additional documents name.

A list and the form that edits one of its rows take the same record; the form's save opens
the row by id through the ORM and checks it is still at the record's version
(model.portfolio.edits.update_row), so an edit made meanwhile is reported, not written over.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frmr.model.portfolio.collections import collection
from frmr.model.store.reads import snapshot
from frmr.model.store.reads.documents import LibraryDocument, file_names, library_documents


@dataclass(frozen=True)
class ListedRow:
    """A live row of a list: its id, its version and each field of its CollectionSpec, read
    by name as the ORM row's (`row.theme`, `row.hours`), converted as the field loads it."""

    id: str
    version: int
    values: Mapping[str, Any]

    def __getattr__(self, name: str) -> Any:
        # Only for the fields: `values` itself is found before this is asked (and while
        # unpickling, before it is set, must not recurse).
        if name != "values" and name in self.values:
            return self.values[name]
        raise AttributeError(name)


@dataclass(frozen=True)
class Listing:
    rows: list[ListedRow]
    # The file name of each library document a row links (model.portfolio.library_links).
    linked: dict[str, str]
    # The live library, newest first: what a form offers to link. Empty where nothing links.
    library: list[LibraryDocument]


def collection_rows(conn: sqlite3.Connection, name: str) -> list[ListedRow]:
    """The live rows of the list `name` (a key of COLLECTIONS), in the order they were added."""
    spec = collection(name)
    columns = ", ".join(f.name for f in spec.fields)
    query = f"SELECT id, version, {columns} FROM {spec.table} WHERE NOT deleted ORDER BY rowid"
    rows = []
    for row_id, version, *stored in conn.execute(query):
        values = {
            field.name: value if value is None or field.load is None else field.load(value)
            for field, value in zip(spec.fields, stored, strict=True)
        }
        rows.append(ListedRow(str(row_id), int(version), values))
    return rows


def read_listing(conn: sqlite3.Connection, name: str) -> Listing:
    """The list `name` and, where its rows link library files, their names and the library."""
    spec = collection(name)
    with snapshot(conn):
        rows = collection_rows(conn, name)
        if not spec.documents:
            return Listing(rows, {}, [])
        ids = {link for row in rows for f in spec.documents if (link := row.values[f])}
        linked = file_names(conn, ids) if ids else {}
        return Listing(rows, linked, library_documents(conn)[::-1])
