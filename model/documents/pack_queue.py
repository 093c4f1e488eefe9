"""The pack queue in the store: what the daemon still has to pack, kept across restarts.

The intake queues a file in the transaction that takes it into the library; the packer
removes it in the transaction that attaches or refuses the result (isync's rule: the intent
is durable before any work, and the outcome and the intent's end commit together).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from frmr.model.store.account import Account
from frmr.model.store.tables import PackJob


@dataclass(frozen=True)
class QueuedPack:
    """One queued file as the packer works on it (a plain copy, free of any session)."""

    id: str
    application_id: str
    document_id: str
    source_path: str
    # Packings begun, this one included.
    attempts: int


def queue_pack(session: Session, application_id: str, document_id: str, source_path: str) -> None:
    """Queue a document for packing onto an application, once: the same file found again
    (a rescan, a restart) does not queue a second packing."""
    existing = session.exec(
        select(PackJob).where(
            PackJob.application_id == application_id, PackJob.document_id == document_id
        )
    ).first()
    if existing is None:
        session.add(
            PackJob(application_id=application_id, document_id=document_id, source_path=source_path)
        )


def begin_packing(account: Account, application_id: str) -> list[QueuedPack]:
    """The application's queued files, each counted as one more packing begun."""
    with account.store.write() as session:
        jobs = session.exec(
            select(PackJob)
            .where(PackJob.application_id == application_id)
            .order_by(col(PackJob.queued_at))
        ).all()
        taken = []
        for job in jobs:
            job.attempts += 1
            session.add(job)
            taken.append(
                QueuedPack(
                    job.id, job.application_id, job.document_id, job.source_path, job.attempts
                )
            )
    return taken


def put_back(account: Account, jobs: Iterable[QueuedPack]) -> None:
    """Packing stopped on purpose (the daemon stopping): the begun packing does not count."""
    ids = [job.id for job in jobs]
    with account.store.write() as session:
        for job in session.exec(select(PackJob).where(col(PackJob.id).in_(ids))).all():
            job.attempts = max(0, job.attempts - 1)
            session.add(job)


def finish_in_session(session: Session, jobs: Iterable[QueuedPack]) -> None:
    """The files are dealt with: called in the transaction that records how."""
    ids = [job.id for job in jobs]
    for job in session.exec(select(PackJob).where(col(PackJob.id).in_(ids))).all():
        session.delete(job)
