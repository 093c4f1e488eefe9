"""Copies made while a file settles: used when the file stayed as it was copied, thrown away
otherwise, and never left behind in the blob folder — not even by a killed daemon."""

from __future__ import annotations

import hashlib
import os
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from frmr.daemon.intake import Intake
from frmr.daemon.prestage import PreStager
from frmr.daemon.watcher import Item, start_observer
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import list_documents
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.rules.statuses import ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.blobs import INCOMING_PREFIX, Staged
from frmr.model.store.tables import Application
from tests.samples import ELF_HEAD, make_file, make_pdf, pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.world import World

pytestmark = pytest.mark.real_process


class Copies:
    """Every file the blob store was asked to copy, in order."""

    def __init__(self, stage: Callable[[Path], Staged]) -> None:
        self.stage = stage
        self.sources: list[Path] = []

    def __call__(self, source: Path) -> Staged:
        self.sources.append(source)
        return self.stage(source)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def copies(account: Account, monkeypatch: pytest.MonkeyPatch) -> Copies:
    blobs = account.store.blobs
    recorder = Copies(blobs.stage)
    monkeypatch.setattr(blobs, "stage", recorder)
    return recorder


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def intake(account: Account, clock: Clock) -> Iterator[Intake]:
    made = Intake(account, settle_seconds=1.0, emit=lambda _event, _fields: None, clock=clock)
    yield made
    made.close()


def temps(account: Account) -> list[str]:
    return [
        p.name for p in account.store.blobs.root.iterdir() if p.name.startswith(INCOMING_PREFIX)
    ]


def no_temps_left(account: Account) -> None:
    """A copy thrown away is removed once its worker is done with it, not at shutdown."""
    wait_for(lambda: not temps(account), timeout=10)


def blobs(account: Account) -> list[Path]:
    return [p for p in account.store.blobs.root.rglob("*") if p.is_file()]


def closed(intake: Intake, path: Path, at: float) -> None:
    """What the watcher reports when a writer closes `path` at `at`."""
    intake.hint(path, at=at, complete=True)


def test_watcher_says_complete_for_a_closed_file_and_one_moved_in_from_outside(
    tmp_path: Path,
) -> None:
    documents, home, outside = tmp_path / "docs", tmp_path / "home", tmp_path / "outside"
    for folder in (documents, home, outside):
        folder.mkdir()
    events: queue.SimpleQueue[Item] = queue.SimpleQueue()
    observer, _ = start_observer(
        documents,
        home,
        events,
        db_name="frmr.db",
        token_name="token",
        force_polling=False,
        polling_seconds=5.0,
    )
    complete: set[Path] = set()

    def seen_complete(path: Path) -> bool:
        while not events.empty():
            _kind, (hinted, _deleted, _at, done) = events.get()
            if done:
                complete.add(hinted)
        return path in complete

    try:
        make_pdf(documents / "written.pdf")
        wait_for(lambda: seen_complete(documents / "written.pdf"), timeout=10)
        os.rename(make_pdf(outside / "moved.pdf"), documents / "moved.pdf")
        wait_for(lambda: seen_complete(documents / "moved.pdf"), timeout=10)
    finally:
        observer.stop()
        observer.join(5)


def test_file_left_alone_after_close_is_copied_once_before_it_settles(
    account: Account, intake: Intake, clock: Clock, copies: Copies
) -> None:
    path = make_pdf(account.documents_dir / "scan.pdf", size=300_000)
    closed(intake, path, at=0.0)
    wait_for(lambda: copies.sources == [path] and temps(account))
    clock.now = 0.5
    assert intake.process_due() == 0
    clock.now = 1.0
    assert intake.process_due() == 1
    assert [d.file_name for d in list_documents(account)] == ["scan.pdf"]
    assert copies.sources == [path]  # the settled file was not read a second time
    assert temps(account) == []


def rewrite_with_event(intake: Intake, path: Path) -> None:
    path.write_bytes(pdf_bytes(14_000, "second version"))
    closed(intake, path, at=0.5)


def rewrite_in_place_event_lost(_intake: Intake, path: Path) -> None:
    # Same size, mtime put back (rsync --inplace -t), and its events never arrived.
    before = path.stat()
    with path.open("r+b") as out:
        out.seek(1000)  # inside the padding stream: still a whole PDF
        out.write(b"changed in place")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("rewrite", [rewrite_with_event, rewrite_in_place_event_lost])
def test_file_modified_after_close_is_imported_with_its_final_content_once(
    account: Account,
    intake: Intake,
    clock: Clock,
    copies: Copies,
    rewrite: Callable[[Intake, Path], None],
) -> None:
    path = make_pdf(account.documents_dir / "scan.pdf", size=200_000)
    closed(intake, path, at=0.0)
    wait_for(lambda: copies.sources == [path] and temps(account))
    rewrite(intake, path)
    final = hashlib.sha256(path.read_bytes()).hexdigest()
    clock.now = 2.0
    assert intake.process_due() == 1
    no_temps_left(account)
    documents = list_documents(account)
    assert [(d.file_name, d.sha256) for d in documents] == [("scan.pdf", final)]
    assert copies.sources == [path, path]  # the first copy was thrown away, not used
    assert [p.name for p in blobs(account)] == [final]


def test_an_event_after_the_copy_began_means_copying_again_even_if_the_stat_is_the_same(
    account: Account, intake: Intake, clock: Clock, copies: Copies
) -> None:
    # A write within the same clock tick as the close leaves size and mtime as they were.
    path = make_pdf(account.documents_dir / "scan.pdf", size=200_000)
    closed(intake, path, at=0.0)
    wait_for(lambda: copies.sources == [path])
    intake.hint(path, at=0.1)
    clock.now = 1.1
    assert intake.process_due() == 1
    assert copies.sources == [path, path]
    assert [d.file_name for d in list_documents(account)] == ["scan.pdf"]
    no_temps_left(account)


def test_file_deleted_before_it_settles_leaves_no_temp_copy(
    account: Account, intake: Intake, clock: Clock, copies: Copies
) -> None:
    path = make_pdf(account.documents_dir / "scan.pdf", size=200_000)
    closed(intake, path, at=0.0)
    wait_for(lambda: copies.sources == [path])
    path.unlink()
    intake.hint(path, deleted=True, at=0.5)
    clock.now = 2.0
    intake.process_due()
    no_temps_left(account)
    assert list_documents(account) == []
    assert blobs(account) == []


def not_a_document(account: Account) -> Path:
    return make_file(account.documents_dir / "virus.pdf", ELF_HEAD, 50_000)


def sixth_file_of_an_application(account: Account) -> Path:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    folder = Path(view.folder)
    for i in range(5):
        make_pdf(folder / f"{i}.pdf", salt=f"{i}x")
    attach = Intake(account, settle_seconds=0.0, emit=lambda _event, _fields: None)
    attach.rescan()
    attach.process_due()
    attach.close()
    return make_pdf(folder / "sixth.pdf", size=50_000)


@pytest.mark.parametrize("make", [not_a_document, sixth_file_of_an_application])
def test_copied_early_then_refused_leaves_no_temp_and_the_file_intact(
    account: Account,
    intake: Intake,
    clock: Clock,
    copies: Copies,
    make: Callable[[Account], Path],
) -> None:
    path = make(account)
    original = path.read_bytes()
    closed(intake, path, at=0.0)
    wait_for(lambda: path in copies.sources)
    clock.now = 1.0
    assert intake.process_due() == 1
    no_temps_left(account)
    assert (account.rejected_dir / path.name).read_bytes() == original
    assert hashlib.sha256(original).hexdigest() not in {p.name for p in blobs(account)}


def test_copied_early_into_a_filed_application_folder_is_refused_without_a_temp(
    account: Account, intake: Intake, clock: Clock, copies: Copies
) -> None:
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    with account.store.write() as session:
        app = session.get(Application, view.app.id)
        assert app is not None
        app.status = ApplicationStatus.UNDER_REVIEW
        session.add(app)
    path = make_pdf(Path(view.folder) / "late.pdf", size=50_000)
    closed(intake, path, at=0.0)
    wait_for(lambda: copies.sources == [path])
    clock.now = 1.0
    intake.process_due()
    no_temps_left(account)
    assert not path.exists()
    assert (account.rejected_dir / "late.pdf").exists()
    assert blobs(account) == []


@pytest.mark.parametrize(("max_files", "max_bytes"), [(1, 10**9), (10, 150_000)])
def test_beyond_the_caps_a_file_waits_to_be_copied_when_it_settles(
    account: Account, max_files: int, max_bytes: int
) -> None:
    first = make_pdf(account.documents_dir / "a.pdf", size=100_000)
    second = make_pdf(account.documents_dir / "b.pdf", size=100_000)
    with ThreadPoolExecutor(2) as pool:
        early = PreStager(account.store.blobs, pool, max_files=max_files, max_bytes=max_bytes)
        early.start(first, first.stat())
        early.start(second, second.stat())
        assert early.claim(second, second.stat()) is None
        copy = early.claim(first, first.stat())
        assert copy is not None
        copy.result().discard()
    assert temps(account) == []


def test_files_sure_to_be_refused_are_not_copied_before_they_settle(
    account: Account, intake: Intake, copies: Copies, tmp_path: Path
) -> None:
    root = account.documents_dir
    (root / "link.pdf").symlink_to(make_pdf(tmp_path / "outside.pdf"))
    make_pdf(root / "huge.pdf", size=MAX_TOTAL_BYTES + 1)
    (root / "empty.pdf").write_bytes(b"")
    make_pdf(root / "scan.pdf.part")
    view = apps.new_application(
        account, specialty="Терапия", phone="+79161234567", email="a@example.org"
    )
    (Path(view.folder) / "more").mkdir()
    make_pdf(Path(view.folder) / "more" / "a.pdf")
    for name in ("link.pdf", "huge.pdf", "empty.pdf", "scan.pdf.part"):
        closed(intake, root / name, at=0.0)
    closed(intake, Path(view.folder) / "more" / "a.pdf", at=0.0)
    intake.pool.shutdown(wait=True)  # every copy asked for so far has run
    assert copies.sources == []


def test_daemon_killed_holding_an_early_copy_leaves_no_temp_and_imports_once(
    world: World,
) -> None:
    account = world.account
    # A settle window long enough that the kill lands while the copy waits for it.
    holding = DaemonProcess(world.settings, env={"FRMR_SETTLE_SECONDS": "600"})
    restarted = DaemonProcess(world.settings)
    try:
        holding.start()
        make_pdf(world.settings.documents_dir / "scan.pdf", size=400_000)
        wait_for(lambda: temps(account))
        holding.kill()
        restarted.start()
        documents = wait_for(lambda: list_documents(account), timeout=30)
        assert restarted.terminate() == 0
    finally:
        holding.kill()
        restarted.kill()
    assert [d.file_name for d in documents] == ["scan.pdf"]
    assert temps(account) == []
    assert [p.name for p in blobs(account)] == [documents[0].sha256]
