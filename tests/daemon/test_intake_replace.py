"""One path is one attachment: a file of an application's folder that changes replaces its
attachment, and the history says so; a new version over the limits is refused with a reason
and the old attachment stays — through rescans and a restart — until a version that fits.
Driven directly with real files and a settle window of 0."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from frmr.daemon.intake import Intake
from frmr.daemon.refusals import KEPT_NOTE, REASON_SUFFIX
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import attach_files, import_file
from frmr.model.documents.replacements import replace_in_session
from frmr.model.rules.errors import UploadLimitExceeded
from frmr.model.store.account import Account
from frmr.model.store.engine import session_connection
from frmr.model.store.reads.intake import Replacement
from frmr.model.store.reads.intake import replacements as read_replacements
from frmr.model.store.tables import Application, RejectedFile, ReplacementOutcome
from tests.cli.test_cli import Frmr
from tests.samples import pdf_bytes
from tests.support.reads import stored_application

MIB = 1024 * 1024


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def replacements(account: Account, app_id: str) -> list[Replacement]:
    with account.store.read() as session:
        return read_replacements(session_connection(session), app_id)


@pytest.fixture
def folder(account: Account) -> tuple[str, Path]:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    return view.app.id, Path(view.folder)


@pytest.fixture
def intake(account: Account) -> Iterator[Intake]:
    made = Intake(account, settle_seconds=0.0, emit=lambda _e, _f: None)
    yield made
    made.close()


def drain(intake: Intake) -> None:
    intake.rescan()
    intake.process_due()


def restarted(account: Account, old: Intake) -> Intake:
    """A daemon started again: it knows only what the store says."""
    old.close()
    return Intake(account, settle_seconds=0.0, emit=lambda _e, _f: None)


def attached(account: Account, app_id: str) -> set[str]:
    return {d.sha256 for d in stored_application(account, app_id).documents}


def rewrite(path: Path, data: bytes) -> None:
    """A new version under the same name, with an mtime surely past the old one's."""
    before = path.stat().st_mtime_ns
    path.write_bytes(data)
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_changed_file_replaces_its_attachment_and_the_history_says_so(
    account: Account, intake: Intake, folder: tuple[str, Path]
) -> None:
    app_id, where = folder
    old, new = pdf_bytes(200_000, "old"), pdf_bytes(300_000, "new")
    (where / "scan.pdf").write_bytes(old)
    drain(intake)
    assert attached(account, app_id) == {sha(old)}
    rewrite(where / "scan.pdf", new)
    drain(intake)
    assert attached(account, app_id) == {sha(new)}
    [row] = replacements(account, app_id)
    assert row.outcome is ReplacementOutcome.REPLACED and row.file_name == "scan.pdf"
    assert (row.old_sha256, row.old_size) == (sha(old), len(old))
    assert (row.new_sha256, row.new_size) == (sha(new), len(new))

    # After a restart the path is the new version: deleting it detaches the new one.
    intake = restarted(account, intake)
    drain(intake)
    assert attached(account, app_id) == {sha(new)}
    (where / "scan.pdf").unlink()
    drain(intake)
    assert attached(account, app_id) == set()
    intake.close()


def test_new_version_over_the_limits_is_refused_and_the_old_one_stays_attached(
    account: Account, intake: Intake, folder: tuple[str, Path]
) -> None:
    app_id, where = folder
    others = [pdf_bytes(2 * MIB, f"other {i}") for i in range(4)]
    for i, data in enumerate(others):
        (where / f"other{i}.pdf").write_bytes(data)
    old = pdf_bytes(1 * MIB, "old scan")
    (where / "scan.pdf").write_bytes(old)
    drain(intake)
    everything = {sha(d) for d in others} | {sha(old)}
    assert attached(account, app_id) == everything  # 5 files, 9 MiB

    too_big = pdf_bytes(3 * MIB, "new scan, too big")  # 8 + 3 MiB > 10 MiB
    rewrite(where / "scan.pdf", too_big)
    drain(intake)
    assert attached(account, app_id) == everything
    assert (account.rejected_dir / "scan.pdf").read_bytes() == too_big  # nothing lost
    note = (account.rejected_dir / f"scan.pdf{REASON_SUFFIX}").read_text(encoding="utf-8")
    assert "не более 10" in note and KEPT_NOTE in note
    with account.store.read() as session:
        assert session.exec(select(RejectedFile.application_id)).all() == [app_id]
    [kept] = replacements(account, app_id)
    assert kept.outcome is ReplacementOutcome.KEPT
    assert (kept.old_sha256, kept.new_size) == (sha(old), len(too_big))
    assert kept.reason and "не более 10" in kept.reason

    # The refused file's leaving is no deletion of the attachment: not on a rescan, not
    # after a restart.
    drain(intake)
    intake = restarted(account, intake)
    drain(intake)
    assert attached(account, app_id) == everything

    # A version that fits takes the old one's place; the five files stay five.
    fits = pdf_bytes(3 * MIB // 2, "new scan that fits")
    (where / "scan.pdf").write_bytes(fits)
    drain(intake)
    assert attached(account, app_id) == {sha(d) for d in others} | {sha(fits)}
    newest = replacements(account, app_id)[0]
    assert newest.outcome is ReplacementOutcome.REPLACED and newest.old_sha256 == sha(old)
    intake.close()


def test_replacing_over_the_limits_in_the_store_changes_nothing(
    account: Account, folder: tuple[str, Path], tmp_path: Path
) -> None:
    """What the daemon's commit does when the TUI attached files meanwhile."""
    app_id, _ = folder
    sources = []
    for i, size in enumerate((4 * MIB, 4 * MIB, MIB)):
        source = tmp_path / f"f{i}.pdf"
        source.write_bytes(pdf_bytes(size, f"f{i}"))
        sources.append(source)
    *_, old = attach_files(account, app_id, sources)
    big = tmp_path / "big.pdf"
    big.write_bytes(pdf_bytes(3 * MIB, "big"))
    new = import_file(account, big).document
    before = attached(account, app_id)
    with pytest.raises(UploadLimitExceeded), account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        replace_in_session(session, row, old.id, new, path=str(sources[2]))
    assert attached(account, app_id) == before
    assert replacements(account, app_id) == []


def test_frmr_apps_show_lists_the_replacements_in_russian(
    account: Account, intake: Intake, folder: tuple[str, Path], frmr_home: Path, tmp_path: Path
) -> None:
    app_id, where = folder
    old, new = pdf_bytes(200_000, "old"), pdf_bytes(300_000, "new")
    (where / "scan.pdf").write_bytes(old)
    drain(intake)
    rewrite(where / "scan.pdf", new)
    drain(intake)
    frmr = Frmr(frmr_home, tmp_path / "config.toml")
    shown = frmr("apps", "show", app_id).stdout
    assert "Замены файлов (1):" in shown
    assert f"«scan.pdf» изменился: прежняя версия (195,3 КБ, {sha(old)[:8]})" in shown
    assert f"заменена новой (293 КБ, {sha(new)[:8]})" in shown
    [row] = json.loads(frmr("apps", "show", app_id, "--json").stdout)["replacements"]
    assert row["outcome"] == "replaced"
    assert row["old"]["sha256"] == sha(old) and row["new"]["size"] == len(new)
