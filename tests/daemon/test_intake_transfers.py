"""Real transfers into a running daemon's application folder: throttled scp over a real sshd,
and writers that pause longer than the settle window or rewrite the file in place. Each
file ends as exactly one attachment with its source's hash — never a piece of it."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import list_documents
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import RejectedFile
from tests.samples import pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.reads import stored_application
from tests.support.sshd import Sshd

pytestmark = pytest.mark.real_process

# Three seconds between chunks: fifteen settle windows of the test daemon (0.2 s).
PAUSE_SECONDS = 3.0


@pytest.fixture
def daemon(account: Account) -> Iterator[DaemonProcess]:
    running = DaemonProcess(load_settings())
    running.start()
    yield running
    assert running.terminate(timeout=10) == 0


def new_folder(account: Account) -> tuple[str, Path]:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    return view.app.id, Path(view.folder)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def attached(account: Account, app_id: str) -> list[tuple[str, str]]:
    return sorted((d.file_name, d.sha256) for d in stored_application(account, app_id).documents)


def refused(account: Account) -> list[str]:
    with account.store.read() as session:
        return list(session.exec(select(RejectedFile.file_name)).all())


def test_throttled_scp_gives_one_whole_attachment_per_file(
    account: Account, daemon: DaemonProcess, sshd: Sshd, tmp_path: Path
) -> None:
    app_id, folder = new_folder(account)
    sources = {
        "slow-800.pdf": (pdf_bytes(2 * 1024 * 1024, "scp 800"), 800),
        "slow-2000.pdf": (pdf_bytes(4 * 1024 * 1024, "scp 2000"), 2000),
    }
    copies = []
    for name, (data, limit) in sources.items():
        source = tmp_path / name
        source.write_bytes(data)
        copies.append(threading.Thread(target=sshd.scp, args=(source, str(folder / name), limit)))
    for copy in copies:
        copy.start()
    for copy in copies:
        copy.join()
    expected = sorted((name, sha(data)) for name, (data, _) in sources.items())
    wait_for(lambda: attached(account, app_id) == expected, timeout=60)
    assert refused(account) == []


def test_throttled_rsync_temp_file_is_never_taken_half_written(
    account: Account, sshd: Sshd, tmp_path: Path
) -> None:
    """rsync's `.name.XXXXXX` is held while it is written, however long it stays unchanged
    (here a second is enough to call a file left over): only the renamed file is taken."""
    daemon = DaemonProcess(load_settings(), env={"FRMR_INCOMPLETE_SECONDS": "1"})
    daemon.start()
    try:
        app_id, folder = new_folder(account)
        data = pdf_bytes(2 * 1024 * 1024, "rsync 300")
        source = tmp_path / "synced.pdf"
        source.write_bytes(data)
        sshd.rsync(source, str(folder / "synced.pdf"), limit_kbyte=300)
        wait_for(lambda: attached(account, app_id) == [("synced.pdf", sha(data))], timeout=60)
        assert refused(account) == []
        assert [d.sha256 for d in list_documents(account)] == [sha(data)]
    finally:
        assert daemon.terminate(timeout=10) == 0


def write_with_pauses(path: Path, chunks: list[bytes]) -> None:
    with path.open("wb") as out:
        for i, chunk in enumerate(chunks):
            if i:
                time.sleep(PAUSE_SECONDS)  # the writer under test stalls, as a slow link does
            out.write(chunk)
            out.flush()
            os.fsync(out.fileno())


def rewrite_in_place(path: Path, first: bytes, final: bytes) -> None:
    """Half of one version, a stall, then truncate and write another version whole."""
    with path.open("wb") as out:
        out.write(first[: len(first) // 2])
        out.flush()
        time.sleep(PAUSE_SECONDS)
        out.seek(0)
        out.truncate()
        out.write(final[: len(final) // 2])
        out.flush()
        time.sleep(PAUSE_SECONDS)
        out.write(final[len(final) // 2 :])


def test_writers_that_pause_or_rewrite_in_place_give_one_whole_attachment(
    account: Account, daemon: DaemonProcess
) -> None:
    app_id, folder = new_folder(account)
    paused = pdf_bytes(3 * 1024 * 1024, "paused")
    first, final = pdf_bytes(2 * 1024 * 1024, "first"), pdf_bytes(3 * 1024 * 1024, "final")
    writers = [
        threading.Thread(
            target=write_with_pauses,
            args=(
                folder / "paused.pdf",
                [paused[i : i + 1_000_000] for i in range(0, len(paused), 1_000_000)],
            ),
        ),
        threading.Thread(target=rewrite_in_place, args=(folder / "rewritten.pdf", first, final)),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    expected = sorted([("paused.pdf", sha(paused)), ("rewritten.pdf", sha(final))])
    wait_for(lambda: attached(account, app_id) == expected, timeout=60)
    assert refused(account) == []


def test_file_rewritten_after_import_replaces_its_attachment(
    account: Account, daemon: DaemonProcess, tmp_path: Path
) -> None:
    app_id, folder = new_folder(account)
    old, new = pdf_bytes(200_000, "old version"), pdf_bytes(300_000, "new version")
    (folder / "scan.pdf").write_bytes(old)
    wait_for(lambda: attached(account, app_id) == [("scan.pdf", sha(old))])
    (tmp_path / "newer.pdf").write_bytes(new)
    shutil.copyfile(tmp_path / "newer.pdf", folder / "scan.pdf")  # cp over it
    wait_for(lambda: attached(account, app_id) == [("scan.pdf", sha(new))])


def test_same_content_twice_stays_attached_while_one_copy_remains(
    account: Account, daemon: DaemonProcess
) -> None:
    app_id, folder = new_folder(account)
    data = pdf_bytes(100_000, "twice")
    (folder / "a.pdf").write_bytes(data)
    (folder / "b.pdf").write_bytes(data)
    other = pdf_bytes(100_000, "marker")
    wait_for(lambda: len(attached(account, app_id)) == 1)
    (folder / "a.pdf").unlink()
    # A file dropped after the deletion: once it is attached, the deletion was handled too.
    (folder / "marker.pdf").write_bytes(other)
    wait_for(lambda: len(attached(account, app_id)) == 2)
    assert sha(data) in {s for _, s in attached(account, app_id)}
    (folder / "b.pdf").unlink()
    wait_for(lambda: [s for _, s in attached(account, app_id)] == [sha(other)])


# A short hold for the tests: a file not whole by its end marks is refused after 3 s unchanged.
SHORT_HOLD = 3.0
# Longer than the settle window (each chunk is looked at and held), shorter than the hold.
APPEND_PAUSE = 1.5


def append_in_chunks(path: Path, chunks: list[bytes]) -> None:
    """A writer that opens, appends and closes per chunk (a log-like or resumed transfer)."""
    for i, chunk in enumerate(chunks):
        if i:
            time.sleep(APPEND_PAUSE)
        with path.open("ab") as out:
            out.write(chunk)


def reasons(account: Account) -> list[str]:
    with account.store.read() as session:
        return list(session.exec(select(RejectedFile.reason)).all())


def test_hold_clock_restarts_on_each_change_and_states_the_true_quiet_time(
    account: Account,
) -> None:
    """Appended for 3 hold windows, paused less than one each time: one whole attachment, no
    fragments. A file left unfinished is refused, saying how long it really was quiet."""
    daemon = DaemonProcess(load_settings(), env={"FRMR_INCOMPLETE_SECONDS": str(SHORT_HOLD)})
    daemon.start()
    try:
        app_id, folder = new_folder(account)
        data = pdf_bytes(600_000, "appended")
        step = len(data) // 6 + 1
        append_in_chunks(
            folder / "appended.pdf", [data[i : i + step] for i in range(0, len(data), step)]
        )
        wait_for(lambda: attached(account, app_id) == [("appended.pdf", sha(data))], timeout=60)
        assert refused(account) == []
        (folder / "cut.pdf").write_bytes(pdf_bytes(100_000, "cut")[:50_000])
        wait_for(lambda: refused(account) == ["cut.pdf"], timeout=60)
        (reason,) = reasons(account)
        assert re.search(r"и он не менялся \d+ с$", reason), reason
    finally:
        assert daemon.terminate(timeout=10) == 0
