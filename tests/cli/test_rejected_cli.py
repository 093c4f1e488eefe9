"""`frmr documents rejected` and `frmr apps show`: refused files, with reasons, from the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from frmr.daemon.intake import Intake
from frmr.model.applications import lifecycle as apps
from frmr.model.store.account import Account
from tests.cli.test_cli import Frmr
from tests.samples import ELF_HEAD, make_file


def test_refused_files_are_listed_overall_and_under_their_application(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    make_file(Path(view.folder) / "program.pdf", ELF_HEAD, 100)
    make_file(account.documents_dir / "loose.pdf", ELF_HEAD, 100)
    intake = Intake(account, settle_seconds=0.0, emit=lambda _e, _f: None)
    intake.rescan()
    intake.process_due()
    intake.close()
    frmr = Frmr(frmr_home, tmp_path / "config.toml")

    listed = json.loads(frmr("documents", "rejected", "--json").stdout)
    assert sorted(r["file_name"] for r in listed) == ["loose.pdf", "program.pdf"]
    assert all("только PDF, JPEG и PNG" in r["reason"] for r in listed)
    assert "loose.pdf" in frmr("documents", "rejected").stdout

    shown = frmr("apps", "show", view.app.id).stdout
    assert "Не приняты из папки (1)" in shown and "program.pdf" in shown
    assert "loose.pdf" not in shown
    as_json = json.loads(frmr("apps", "show", view.app.id, "--json").stdout)
    assert [r["file_name"] for r in as_json["rejected_files"]] == ["program.pdf"]
