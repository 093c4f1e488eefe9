"""Packing files from disk or from the library into one PDF named for the portal."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, select

from frmr.model.account import Account
from frmr.model.actions.documents import attach_in_session, attached_documents
from frmr.model.errors import PackInputUnreadable
from frmr.model.filetypes import FileKind
from frmr.model.masking import mask_personal_data
from frmr.model.packing import PackInput, PackProfile, PackResult, document_file_name, pack
from frmr.model.statuses import Actor
from frmr.model.tables import Application, Attachment, Document, Person, StatusChange


@dataclass(frozen=True)
class PackedFile:
    result: PackResult
    name: str


def read_inputs(paths: Sequence[Path]) -> list[PackInput]:
    inputs = []
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


def packed_name(template: str, person: Person, title: str, pages: int) -> str:
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
    person: Person,
    template: str,
    profile: PackProfile,
    title: str | None = None,
) -> PackedFile:
    title = (title or "").strip() or default_title([i.name for i in inputs])
    result = pack(inputs, budget, profile=profile, title=title)
    return PackedFile(result, packed_name(template, person, title, result.pages))


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
    blobs = account.store.blobs
    with tempfile.TemporaryDirectory(dir=account.home) as tmp:
        path = Path(tmp) / "packed.pdf"
        path.write_bytes(packed.result.data)
        stored = blobs.put_file(path)
    with account.store.write() as session:
        app = session.get(Application, application_id)
        if app is None or app.deleted or not app.status.takes_files:
            return None
        # Packing the same pages again gives the same bytes: one document.
        document = session.exec(select(Document).where(Document.sha256 == stored.sha256)).first()
        if document is None:
            document = Document(
                sha256=stored.sha256,
                size=stored.size,
                kind=FileKind.PDF,
                file_name=packed.name,
                title=title,
            )
        document.deleted = False
        session.add(document)
        attached = {d.id for d in attached_documents(session, app.id)}
        for old in replaces:
            if old in attached and old != document.id:
                _detach(session, app, old)
        attach_in_session(session, app, [document])
        session.add(
            StatusChange(
                application_id=app.id,
                from_status=app.status,
                to_status=app.status,
                actor=actor,
                reason=f"{packed.name}: {packed.result.summary()}",
            )
        )
    return document


def _detach(session: Session, app: Application, document_id: str) -> None:
    link = session.exec(
        select(Attachment).where(
            Attachment.application_id == app.id,
            Attachment.document_id == document_id,
            Attachment.deleted == False,  # noqa: E712
        )
    ).first()
    if link is None:
        return
    if link.synced_version == 0:
        session.delete(link)  # the registry never heard of it
    else:
        link.deleted = True
        link.touch()
        session.add(link)
