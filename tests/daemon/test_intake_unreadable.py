"""Files a running daemon must refuse for what they are, not for what they claim (issue 21):
a 5 GB sparse file is refused before a byte is copied, and a password-protected PDF goes to
rejected/ with its reason, once, and shows in `frmr-daemon status`. Real files, real
watchdog events, a real `frmr-daemon run`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from sqlmodel import select

from frmr.model.applications import lifecycle as apps
from frmr.model.rules.limits import MAX_SOURCE_BYTES
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import RejectedFile
from tests.samples import pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.reads import stored_application

pytestmark = pytest.mark.real_process

SPARSE_SIZE = 5 * 1024**3
LOCKED_REASON = "«locked.pdf» — файл защищён паролем: снимите пароль и положите снова"


@pytest.fixture
def daemon(account: Account) -> Iterator[DaemonProcess]:
    running = DaemonProcess(load_settings())
    running.start()
    yield running
    assert running.terminate(timeout=30) == 0


def new_folder(account: Account) -> tuple[str, Path]:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    return view.app.id, Path(view.folder)


def refusals(account: Account) -> list[tuple[str, str]]:
    with account.store.read() as session:
        rows = session.exec(select(RejectedFile.file_name, RejectedFile.reason)).all()
    return [(name, reason) for name, reason in rows]


def allocated_under(root: Path) -> int:
    """Bytes the files under `root` take on disk (blocks, not lengths)."""
    return sum(
        os.lstat(Path(folder) / name).st_blocks * 512
        for folder, _, names in os.walk(root)
        for name in names
    )


def test_sparse_5_gb_file_is_refused_before_any_copy(
    account: Account, daemon: DaemonProcess
) -> None:
    _, folder = new_folder(account)
    blobs_before = allocated_under(account.store.blobs.root)
    huge = folder / "huge.pdf"
    with huge.open("wb") as out:
        out.write(pdf_bytes(4096, "head of a hole"))
        out.truncate(SPARSE_SIZE)  # 5 GB long, 8 KB on disk
    (name, reason), *more = wait_for(lambda: refusals(account), timeout=60)
    assert (name, more) == ("huge.pdf", [])
    assert reason.startswith("Файл «huge.pdf» не принят: его размер 5 ГБ, а на диске он занимает")
    assert "разреженный файл" in reason
    assert not huge.exists()
    moved = account.rejected_dir / "huge.pdf"
    assert moved.stat().st_size == SPARSE_SIZE  # moved, not copied: still a hole
    assert allocated_under(account.store.blobs.root) - blobs_before < 1024 * 1024


def test_file_too_large_to_pack_is_refused_before_any_copy(
    account: Account, daemon: DaemonProcess
) -> None:
    """Not sparse (its blocks are allocated), but over what packing could bring to 10 MiB."""
    _, folder = new_folder(account)
    blobs_before = allocated_under(account.store.blobs.root)
    source = folder.parent / "big.pdf"  # made outside, then moved in whole
    with source.open("wb") as out:
        out.write(pdf_bytes(4096, "head of a big one"))
        os.posix_fallocate(out.fileno(), 0, MAX_SOURCE_BYTES + 1)
    source.rename(folder / "big.pdf")
    wait_for(lambda: refusals(account), timeout=60)
    assert refusals(account) == [
        (
            "big.pdf",
            "Файл «big.pdf» не принят: 209 715 201 байт — больше 200 МБ, "
            "такой файл не уменьшить до 10 МБ",
        )
    ]
    assert allocated_under(account.store.blobs.root) - blobs_before < 1024 * 1024


def test_password_protected_pdf_is_rejected_once_with_its_reason(
    account: Account, daemon: DaemonProcess, tmp_path: Path
) -> None:
    app_id, folder = new_folder(account)
    source = tmp_path / "locked.pdf"
    with pikepdf.open(io.BytesIO(pdf_bytes(20_000, "locked"))) as pdf:
        pdf.save(source, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    source.rename(folder / "locked.pdf")  # moved in, as a file manager does
    wait_for(lambda: refusals(account), timeout=60)
    assert refusals(account) == [("locked.pdf", LOCKED_REASON)]
    assert not (folder / "locked.pdf").exists()
    assert (account.rejected_dir / "locked.pdf").exists()
    status = daemon.status()
    assert status is not None
    assert (status.rejected_files, status.last_rejected) == (1, LOCKED_REASON)
    shown = subprocess.run(
        [sys.executable, "-m", "frmr.daemon.cli", "status"],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=True,
    )
    assert f"Непринятых файлов: 1 — последний: {LOCKED_REASON}" in shown.stdout
    # Refused, not failed: a rescan has nothing left to retry.
    assert "invalid password" not in daemon.stderr.read_text()
    assert stored_application(account, app_id).documents == []


def _bytes_read(pid: int) -> int:
    """Bytes the process has read through read(2) and the like (/proc/PID/io, rchar)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar")


def test_unfinished_file_is_copied_once_not_at_every_look(account: Account) -> None:
    """A 30 MB PDF without its end is looked at every 5 s through a 16 s hold: the copy
    judged it not whole once; unchanged, it is not read again, then refused."""
    hold = 16
    daemon = DaemonProcess(load_settings(), env={"FRMR_INCOMPLETE_SECONDS": str(hold)})
    daemon.start()
    try:
        _, folder = new_folder(account)
        data = pdf_bytes(30 * 1024 * 1024, "unfinished")[:-4096]
        assert daemon.process is not None
        before = _bytes_read(daemon.process.pid)
        (folder / "unfinished.pdf").write_bytes(data)
        wait_for(lambda: refusals(account), timeout=90)
        read = _bytes_read(daemon.process.pid) - before
        ((name, reason),) = refusals(account)
        assert name == "unfinished.pdf"
        assert reason.startswith("Файл «unfinished.pdf» не докачан: в нём нет конца (PDF)")
        # One look copies it and reads the copy back (2×); each further look did the same.
        assert read < 3 * len(data), read
    finally:
        assert daemon.terminate(timeout=10) == 0
