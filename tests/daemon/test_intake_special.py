"""Special files and names: each gets a defined outcome and, where refused, a note with a
non-empty Russian reason; none of them holds up the good files of its batch."""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from frmr.daemon import control_client
from frmr.daemon.intake import Intake
from frmr.daemon.refusals import NAME_MAX, REASON_SUFFIX
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import list_documents
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import Application, RejectedFile
from tests.samples import ELF_HEAD, make_file, make_pdf, pdf_bytes
from tests.support.daemon_process import FAST_ENV, DaemonProcess, wait_for
from tests.support.reads import stored_application

pytestmark = pytest.mark.real_process


def quiet(_event: str, _fields: dict[str, Any]) -> None:
    return None


@pytest.fixture
def intake(account: Account) -> Iterator[Intake]:
    made = Intake(account, settle_seconds=0.0, emit=quiet)
    yield made
    made.close()


def drain(intake: Intake) -> None:
    intake.rescan()
    intake.process_due()


def notes(account: Account) -> dict[bytes, str]:
    """Every reason note in rejected/, by its raw name, with its text."""
    folder = os.fsencode(account.rejected_dir)
    return {
        name: (Path(os.fsdecode(folder)) / os.fsdecode(name)).read_text(encoding="utf-8")
        for name in os.listdir(folder)
        if name.endswith(REASON_SUFFIX.encode())
    }


def imported(account: Account) -> list[str]:
    return sorted(d.file_name for d in list_documents(account))


def test_name_that_is_not_utf8_is_refused_and_its_batch_goes_on(
    account: Account, intake: Intake
) -> None:
    raw = os.fsencode(account.documents_dir) + b"/scan-\xff\xfe.pdf"
    Path(os.fsdecode(raw)).write_bytes(pdf_bytes(5000, "raw name"))
    make_pdf(account.documents_dir / "good.pdf")
    drain(intake)
    assert imported(account) == ["good.pdf"]
    assert os.path.exists(os.fsencode(account.rejected_dir) + b"/scan-\xff\xfe.pdf")
    [(name, text)] = notes(account).items()
    assert name == b"scan-\xff\xfe.pdf" + REASON_SUFFIX.encode()
    assert "UTF-8" in text and "scan-\\xff\\xfe.pdf" in text
    with account.store.read() as session:
        assert session.exec(select(RejectedFile.file_name)).all() == ["scan-\\xff\\xfe.pdf"]


def test_name_too_long_for_its_note_gets_a_shortened_note_naming_it_in_full(
    account: Account, intake: Intake
) -> None:
    name = "я" * 123 + ".pdf"  # 250 bytes: the note's suffix would pass NAME_MAX
    assert len(name.encode()) == 250
    make_file(account.documents_dir / name, ELF_HEAD, 100)
    make_pdf(account.documents_dir / "good.pdf")
    drain(intake)
    assert imported(account) == ["good.pdf"]
    assert (account.rejected_dir / name).exists()
    [(note, text)] = notes(account).items()
    assert len(note) <= NAME_MAX
    assert name in text and "только PDF, JPEG и PNG" in text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("scan.pdf~", "резервная копия"),
        ("scan.pdf.bak", "резервная копия"),
        (".scan.pdf", "скрытый файл"),
    ],
)
def test_backups_and_dot_files_are_refused_with_reason(
    account: Account, intake: Intake, name: str, expected: str
) -> None:
    make_pdf(account.documents_dir / name)
    drain(intake)
    assert imported(account) == []
    [(note, text)] = notes(account).items()
    assert note == (name + REASON_SUFFIX).encode()
    assert expected in text and "Что сделать:" in text


def test_hidden_file_shaped_like_an_rsync_temp_is_held_then_refused_with_reason(
    account: Account,
) -> None:
    """`.foo.backup` has the shape of rsync's `.name.XXXXXX`: never taken, held while it
    changes, and once unchanged for `incomplete_seconds` refused with a reason — it does
    not vanish silently, and a transfer that stalls shorter than that is not cut short."""
    clock = [0.0]
    intake = Intake(
        account, settle_seconds=1.0, emit=quiet, clock=lambda: clock[0], incomplete_seconds=60
    )
    try:
        backup = make_pdf(account.documents_dir / ".foo.backup")
        kept = backup.read_bytes()
        temp = account.documents_dir / ".scan.pdf.Ab12Cd"
        data = pdf_bytes(50_000, "rsync temp")
        temp.write_bytes(data[:20_000])

        def at(when: float) -> None:
            clock[0] = when
            intake.rescan()
            intake.process_due()

        at(1.0)  # found
        at(2.0)  # settled and looked at: held, not taken
        at(30.0)
        assert not account.rejected_dir.exists()
        with temp.open("ab") as out:  # the transfer goes on
            out.write(data[20_000:30_000])
        at(33.0)
        at(62.0)  # a minute unchanged since it was first looked at
        assert list(notes(account)) == [b".foo.backup" + REASON_SUFFIX.encode()]
        assert (account.rejected_dir / ".foo.backup").read_bytes() == kept
        at(100.0)  # the temp changed after its first look: its minute starts again
        assert len(notes(account)) == 1 and temp.exists()
        at(122.0)
        assert len(notes(account)) == 2 and not temp.exists()
        for text in notes(account).values():
            assert "временный файл rsync" in text and "Что сделать:" in text
        assert imported(account) == []
    finally:
        intake.close()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ApplicationStatus.FORMED, "отмените это заявление и создайте новое"),
        (ApplicationStatus.PASSED, "создайте новое заявление"),
        (ApplicationStatus.CANCELLED, "создайте новое заявление"),
    ],
)
def test_drop_into_formed_or_closed_application_is_refused_with_how_to_change_the_set(
    account: Account, intake: Intake, status: ApplicationStatus, expected: str
) -> None:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    with account.store.write() as session:
        row = session.get(Application, view.app.id)
        assert row is not None
        row.status = status
        session.add(row)
    make_pdf(Path(view.folder) / "late.pdf")
    drain(intake)
    assert stored_application(account, view.app.id).documents == []
    assert not (Path(view.folder) / "late.pdf").exists()
    [text] = notes(account).values()
    assert status.label in text and expected in text
    with account.store.read() as session:
        assert session.exec(select(RejectedFile.application_id)).all() == [view.app.id]


def test_not_whole_file_is_held_then_refused_as_not_fully_transferred(account: Account) -> None:
    clock = [0.0]
    intake = Intake(
        account, settle_seconds=1.0, emit=quiet, clock=lambda: clock[0], incomplete_seconds=60
    )
    try:
        whole = pdf_bytes(50_000, "cut")
        path = account.documents_dir / "cut.pdf"
        path.write_bytes(whole[:30_000])
        intake.hint(path)
        for now in (1.0, 20.0, 40.0):
            clock[0] = now
            intake.process_due()
            assert path.exists() and imported(account) == []
        clock[0] = 61.0
        intake.process_due()
        assert not path.exists()
        [text] = notes(account).values()
        assert "не докачан" in text and "Скопируйте файл заново" in text
    finally:
        intake.close()


def test_damaged_file_whole_by_its_marks_is_refused(account: Account, intake: Intake) -> None:
    (account.documents_dir / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"0" * 3000 + b"%%EOF\n")
    drain(intake)
    [text] = notes(account).values()
    assert "повреждён" in text


def test_fifo_swapped_in_after_the_move_never_blocks_intake(
    account: Account, tmp_path: Path
) -> None:
    daemon = DaemonProcess(load_settings())
    daemon.start()
    try:
        staging = tmp_path / "staging"
        staging.mkdir()
        for i in range(200):
            name = f"f{i:03}.pdf"
            make_pdf(staging / name, size=20_000, salt=name)
            os.rename(staging / name, account.documents_dir / name)  # a move in: copied at once
            os.mkfifo(staging / name)
            os.rename(staging / name, account.documents_dir / name)
        make_pdf(account.documents_dir / "after.pdf", salt="after the fifos")
        wait_for(lambda: "after.pdf" in imported(account), timeout=60)
        wait_for(
            lambda: (
                len({n for n in os.listdir(account.rejected_dir) if not n.endswith(REASON_SUFFIX)})
                == 200
            ),
            timeout=60,
        )
        refused = {n for n in os.listdir(account.rejected_dir) if not n.endswith(REASON_SUFFIX)}
        assert refused == {f"f{i:03}.pdf" for i in range(200)}
        assert all("не обычный файл" in text for text in notes(account).values())
    finally:
        assert daemon.terminate(timeout=10) == 0  # stop returns: no worker is stuck in open()


@pytest.fixture
def nobody_home() -> Iterator[Path]:
    # Not under pytest's tmp_path: that is root's, 0700, and closed to `nobody`.
    home = Path(tempfile.mkdtemp(prefix="frmr-nobody-"))
    user = pwd.getpwnam("nobody")
    os.chown(home, user.pw_uid, user.pw_gid)
    yield home
    shutil.rmtree(home, ignore_errors=True)


def test_unreadable_file_is_refused_by_an_unprivileged_daemon(nobody_home: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("running the daemon as another user needs root and setpriv")
    home = nobody_home / "home"
    env = {
        **os.environ,
        **FAST_ENV,
        "FRMR_HOME": str(home),
        "FRMR_CONFIG": str(nobody_home / "config.toml"),
        "HOME": str(nobody_home),
    }
    env.pop("FRMR_REGISTRY_URL", None)
    env.pop("XDG_RUNTIME_DIR", None)
    as_nobody = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
    probe = subprocess.run(
        [*as_nobody, sys.executable, "-c", "import frmr.daemon.cli"],
        env=env,
        capture_output=True,
        text=True,
        cwd=nobody_home,
    )
    if probe.returncode != 0 and "Permission denied" in probe.stderr:
        pytest.skip(f"`nobody` cannot read this checkout or its venv: {probe.stderr[-200:]}")
    assert probe.returncode == 0, probe.stderr
    daemon = subprocess.Popen(
        [
            *as_nobody,
            *(sys.executable, "-m", "frmr.daemon.cli", "run"),
        ],
        env=env,
        cwd=nobody_home,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    settings = load_settings(home=home, runtime_dir=home / "run")
    try:
        wait_for(
            lambda: control_client.status(settings.control_socket) or daemon.poll() is not None
        )
        assert daemon.poll() is None, daemon.stderr.read() if daemon.stderr else ""
        documents = settings.documents_dir
        secret = make_pdf(documents / "secret.pdf", salt="unreadable")
        secret.chmod(0o000)
        make_pdf(documents / "good.pdf", salt="readable")
        os.chown(documents / "good.pdf", pwd.getpwnam("nobody").pw_uid, -1)
        rejected = settings.rejected_dir
        note = rejected / ("secret.pdf" + REASON_SUFFIX)
        # The note is written first, then the file is moved beside it (daemon/refusals.py).
        wait_for(lambda: note.exists() and (rejected / "secret.pdf").exists(), timeout=30)
        assert "нет прав на чтение" in note.read_text(encoding="utf-8")
    finally:
        daemon.send_signal(signal.SIGTERM)
        _, stderr = daemon.communicate(timeout=10)
    assert daemon.returncode == 0
    assert b"Traceback" not in stderr
