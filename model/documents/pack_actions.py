"""Packing files from disk or from the library into one PDF named for the portal."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from frmr.model.documents.library import (
    attach_in_session,
    attached_documents,
    detach_in_session,
    in_library,
)
from frmr.model.documents.pack_queue import QueuedPack, finish_in_session
from frmr.model.documents.packing import (
    PackInput,
    PackProfile,
    PackResult,
    document_file_name,
    pack,
)
from frmr.model.rules.errors import PackInputUnreadable
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import STAT_BLOCK_BYTES, check_allocated, check_pack_inputs
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.statuses import Actor
from frmr.model.store.account import Account
from frmr.model.store.reads.card import Card
from frmr.model.store.tables import Application, Document, StatusChange


@dataclass(frozen=True)
class PackedFile:
    result: PackResult
    name: str


def read_inputs(paths: Sequence[Path]) -> list[PackInput]:
    """The files' bytes, once their lengths are known to be backed by disk blocks and, all
    together, within the packer's ceiling (model.rules.limits): nothing is read before that."""
    inputs = []
    try:
        stats = [path.stat() for path in paths]
    except OSError as exc:
        raise PackInputUnreadable(
            f"Файл «{Path(exc.filename or '').name}» не удалось прочитать: {exc.strerror or exc}",
            f"can't stat a pack input: {exc!r}",
        ) from exc
    for path, st in zip(paths, stats, strict=True):
        check_allocated(st.st_size, st.st_blocks * STAT_BLOCK_BYTES, path.name)
    check_pack_inputs([st.st_size for st in stats])
    for path in paths:
        try:
            inputs.append(PackInput(path.name, path.read_bytes()))
        except OSError as exc:
            raise PackInputUnreadable(
                f"Файл «{path.name}» не удалось прочитать: {exc.strerror or exc}",
                f"can't read {mask_personal_data(str(path))!r}: {exc!r}",
                details={"name": path.name},
            ) from exc
    return inputs


def packed_name(template: str, person: Card, title: str, pages: int) -> str:
    return document_file_name(
        template,
        title=title,
        pages=pages,
        last_name=person.last_name,
        first_name=person.first_name,
        patronymic=person.patronymic,
    )


def default_title(names: Sequence[str]) -> str:
    """A document's title when none is given: the start its files' names share («паспорт 1.jpg»,
    «паспорт 2.jpg» → «паспорт»), or the one file's name without its extension."""
    stems = [Path(name).stem for name in names]
    if len(stems) <= 1:
        return stems[0] if stems else "документ"
    prefix = ""
    for letters in zip(*stems, strict=False):
        if len(set(letters)) > 1:
            break
        prefix += letters[0]
    return prefix.rstrip(" _-.0123456789(") or "документ"


def pack_inputs(
    inputs: Sequence[PackInput],
    *,
    budget: int,
    person: Card,
    template: str,
    profile: PackProfile,
    title: str | None = None,
) -> PackedFile:
    title = (title or "").strip() or default_title([i.name for i in inputs])
    result = pack(inputs, budget, profile=profile, title=title)
    return PackedFile(result, packed_name(template, person, title, result.pages))


@dataclass(frozen=True)
class PackedGroup:
    """A packed PDF for an application, and the attached documents it takes the place of."""

    packed: PackedFile
    title: str
    replaces: Sequence[str] = ()


def attach_packed(
    account: Account,
    application_id: str,
    packed: PackedFile,
    *,
    title: str,
    replaces: Sequence[str],
    actor: Actor,
) -> Document | None:
    """Store the packed PDF as a document, attach it in place of ``replaces`` (which stay
    in the library), and note in the history what was done. None when the application no
    longer takes files."""
    documents = attach_pack_results(
        account, application_id, [PackedGroup(packed, title, replaces)], actor=actor
    )
    return documents[0] if documents else None


def attach_pack_results(
    account: Account,
    application_id: str,
    groups: Sequence[PackedGroup],
    *,
    as_they_are: Sequence[str] = (),
    finished: Sequence[QueuedPack] = (),
    actor: Actor,
) -> list[Document] | None:
    """Attach every packed PDF (and the library documents ``as_they_are``) in one
    transaction, with the history and the end of the ``finished`` queue entries: a crash
    leaves either all of it or none, so a resumed packing never attaches twice. None when
    the application no longer takes files (the queue entries end all the same)."""
    blobs = account.store.blobs
    stored = []
    # The blobs are durable before the commit that names them.
    with tempfile.TemporaryDirectory(dir=account.home) as tmp:
        for index, group in enumerate(groups):
            path = Path(tmp) / f"packed-{index}.pdf"
            path.write_bytes(group.packed.result.data)
            stored.append(blobs.put_file(path))
    with account.store.write() as session:
        finish_in_session(session, finished)
        app = session.get(Application, application_id)
        if app is None or app.deleted or not app.status.takes_files:
            return None
        attached = {d.id for d in attached_documents(session, app.id)}
        documents = []
        for group, blob in zip(groups, stored, strict=True):
            # Packing the same pages again gives the same bytes: one document.
            existing = session.exec(select(Document).where(Document.sha256 == blob.sha256)).first()
            document, _ = in_library(
                session, existing, blob.sha256, blob.size, FileKind.PDF, group.packed.name,
                group.title,
            )  # fmt: skip
            documents.append(document)
            for old in group.replaces:
                if old in attached and old != document.id:
                    detach_in_session(session, app, old)
        plain = [d for d in (session.get(Document, i) for i in as_they_are) if d is not None]
        # Packed first: a merge frees places that files attached as they are may need.
        attach_in_session(session, app, [*documents, *plain])
        for group in groups:
            session.add(
                StatusChange(
                    application_id=app.id,
                    from_status=app.status,
                    to_status=app.status,
                    actor=actor,
                    reason=f"{group.packed.name}: {group.packed.result.summary()}",
                )
            )
    return documents
