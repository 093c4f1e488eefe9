"""A full disk and bad blobs: nothing is published under a name it does not match, a file
that could not be taken stays and is taken once there is space, and everyone is told.

FRMR_HOME sits on a real 30 MB tmpfs (CI runs as root and can mount one)."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from frmr.daemon.batch import Batch
from frmr.daemon.intake import Intake
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.rejected import rejected_files
from frmr.model.store.account import Account, open_account
from frmr.model.store.blobs import BlobStore
from frmr.model.store.health import run_checks
from frmr.model.store.settings import load_settings
from tests.samples import ELF_HEAD, make_file, pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.reads import stored_application

pytestmark = pytest.mark.real_process


def fill(disk: Path, leave: int, name: str = "filler") -> Path:
    """Take all the free space of `disk` but about `leave` bytes."""
    filler = disk / name
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as out:
        remaining = max(0, free - leave)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            try:
                remaining -= out.write(block[: min(len(block), remaining)])
                out.flush()
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
    return filler


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_full_disk_holds_the_file_says_so_and_takes_it_once_space_is_back(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = small_disk / "home"
    monkeypatch.setenv("FRMR_HOME", str(home))
    monkeypatch.setenv("FRMR_CONFIG", str(small_disk / "config.toml"))
    monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
    settings = load_settings()
    account = open_account(settings)
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    folder = Path(view.folder)
    daemon = DaemonProcess(settings)
    daemon.start()
    try:
        data = pdf_bytes(3 * 1024 * 1024, "full disk")
        filler = fill(small_disk, leave=len(data) + 512 * 1024)
        (folder / "scan.pdf").write_bytes(data)
        status = wait_for(lambda: (s := daemon.status()) and s.disk_problem and s, timeout=30)
        assert "Нет места на диске" in str(status.last_error)
        assert (folder / "scan.pdf").read_bytes() == data  # the file stays
        assert stored_application(account, view.app.id).documents == []
        shown = subprocess.run(
            [sys.executable, "-m", "frmr.daemon.cli", "status"],
            capture_output=True,
            text=True,
            env={**os.environ},
            check=False,
        )
        assert "Нет места на диске" in shown.stdout

        # Every byte taken: a CLI command that writes ends with the reason, not a traceback.
        rest = fill(small_disk, leave=0, name="rest")
        cli = subprocess.run(
            [
                sys.executable,
                "-c",
                "from frmr.cli.main import main; main()",
                "apps",
                "new",
                "--specialty",
                "Терапия",
                "--phone",
                "+79161234567",
                "--email",
                "a@example.org",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert cli.returncode == 2, cli.stderr
        assert "Нет места на диске" in cli.stderr
        assert "Traceback" not in cli.stderr

        filler.unlink()
        rest.unlink()
        wait_for(
            lambda: (
                [d.sha256 for d in stored_application(account, view.app.id).documents]
                == [sha(data)]
            ),
            timeout=30,
        )
        status = wait_for(lambda: (s := daemon.status()) is not None and not s.disk_problem and s)
        # Recovered: the status no longer shows the disk's error as the last one.
        assert "Нет места на диске" not in str(status.last_error)
        blob_store = account.store.blobs
        assert blob_store.verify() == (1, [])
        assert next(c for c in run_checks(account, deep=True) if c.name == "blobs_hash").ok
    finally:
        daemon.terminate(timeout=10)
        account.close()


def test_blob_not_matching_its_name_is_replaced_by_the_next_correct_copy(
    account: Account, tmp_path: Path
) -> None:
    data = pdf_bytes(100_000, "short write")
    blobs: BlobStore = account.store.blobs
    # What the old code left after a short write on a full disk: a piece under the full hash.
    bad = blobs.path_for(sha(data))
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(data[:60_000])
    checks = {c.name: c for c in run_checks(account, deep=True)}
    assert not checks["blobs_hash"].ok and bad.name in checks["blobs_hash"].detail
    source = tmp_path / "scan.pdf"
    source.write_bytes(data)
    stored = blobs.put_file(source)
    assert stored.path.read_bytes() == data
    assert blobs.verify() == (1, [])


@pytest.mark.parametrize("small_disk", [12], indirect=True)
def test_small_disk_is_the_size_asked(small_disk: Path) -> None:
    disk = os.statvfs(small_disk)
    assert disk.f_blocks * disk.f_frsize == 12 * 1024 * 1024


def test_refusal_moved_before_a_failed_commit_is_recorded_once_the_store_takes_it(
    account: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is in rejected/ with its note before the batch's commit; when the commit
    fails for the disk, the refusal's row is written later, not lost."""
    events: list[tuple[str, dict[str, Any]]] = []
    clock = [0.0]
    intake = Intake(
        account,
        settle_seconds=0.0,
        emit=lambda event, fields: events.append((event, fields)),
        clock=lambda: clock[0],
    )
    real_commit = Batch.commit
    failures = [OSError(errno.ENOSPC, "No space left on device")]

    def commit(batch: Batch) -> Any:
        if failures:
            raise failures.pop()
        return real_commit(batch)

    monkeypatch.setattr(Batch, "commit", commit)
    try:
        make_file(account.documents_dir / "program.pdf", ELF_HEAD, 100)
        intake.rescan()
        intake.process_due()
        assert (account.rejected_dir / "program.pdf").exists()
        assert rejected_files(account) == []
        assert intake.disk_problem and "Нет места на диске" in intake.disk_problem
        retry = intake.next_deadline()
        assert retry is not None
        clock[0] = retry
        intake.process_due()
        assert [r.file_name for r in rejected_files(account)] == ["program.pdf"]
        assert intake.disk_problem is None and "disk_ok" in [e for e, _ in events]
        assert [f["path"] for e, f in events if e == "file_rejected"] == [
            str(account.documents_dir / "program.pdf")
        ]
    finally:
        intake.close()
