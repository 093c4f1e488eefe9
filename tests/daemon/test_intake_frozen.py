"""A formed application's set of documents is frozen for everyone: the CLI, the model
functions the TUI calls, and the watched folder refuse a change alike, with one Russian
message from the state machine (model.rules.statuses.check_attachments_open)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frmr.daemon.intake import Intake
from frmr.daemon.refusals import REASON_SUFFIX
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import (
    attach_files,
    attach_in_session,
    detach_document,
    import_file,
)
from frmr.model.rules.errors import AttachmentsFrozen
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application
from tests.cli.test_cli import Frmr
from tests.samples import make_pdf
from tests.support.reads import stored_application

FROZEN = "Заявление в статусе «Сформировано»: состав его документов больше не меняется"
HOW = "отмените это заявление и создайте новое"


def formed_with_one_document(account: Account, tmp_path: Path) -> tuple[str, Path, str]:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    [kept] = attach_files(account, view.app.id, [make_pdf(tmp_path / "diploma.pdf", 5000)])
    with account.store.write() as session:
        row = session.get(Application, view.app.id)
        assert row is not None
        row.status = ApplicationStatus.FORMED
        session.add(row)
    return view.app.id, Path(view.folder), kept.id


def attached(account: Account, app_id: str) -> list[str]:
    return [d.id for d in stored_application(account, app_id).documents]


def test_model_actions_refuse_to_change_a_formed_applications_set(
    account: Account, tmp_path: Path
) -> None:
    app_id, _, kept = formed_with_one_document(account, tmp_path)
    late = make_pdf(tmp_path / "late.pdf", 6000)
    with pytest.raises(AttachmentsFrozen) as attaching:
        attach_files(account, app_id, [late])
    assert attaching.value.user_message == FROZEN and HOW in (attaching.value.fix or "")
    with pytest.raises(AttachmentsFrozen):
        detach_document(account, app_id, kept)
    # What the TUI's report and pack screens call inside their transaction.
    document = import_file(account, late).document
    with pytest.raises(AttachmentsFrozen), account.store.write() as session:
        row = session.get(Application, app_id)
        assert row is not None
        attach_in_session(session, row, [document])
    assert attached(account, app_id) == [kept]


def test_cli_and_folder_refuse_a_formed_applications_new_file_with_the_same_words(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    app_id, folder, kept = formed_with_one_document(account, tmp_path)
    frmr = Frmr(frmr_home, tmp_path / "config.toml")
    by_cli = frmr("apps", "attach", app_id, str(make_pdf(tmp_path / "late.pdf", 6000)), ok=False)
    assert by_cli.returncode == 2
    assert FROZEN in by_cli.stderr and HOW in by_cli.stderr
    assert "Traceback" not in by_cli.stderr
    detaching = frmr("apps", "detach", app_id, kept, ok=False)
    assert detaching.returncode == 2 and FROZEN in detaching.stderr

    make_pdf(folder / "dropped.pdf", 7000)
    intake = Intake(account, settle_seconds=0.0, emit=lambda _e, _f: None)
    try:
        intake.rescan()
        intake.process_due()
    finally:
        intake.close()
    [note] = [n for n in os.listdir(account.rejected_dir) if n.endswith(REASON_SUFFIX)]
    text = (account.rejected_dir / note).read_text(encoding="utf-8")
    assert FROZEN in text and HOW in text
    assert attached(account, app_id) == [kept]
