"""A Hypothesis state machine over one draft application's folder, against the real daemon
with FRMR_HOME on a small tmpfs: create, write in pieces (the writer stays open across
steps, as a stalled transfer does), finish, rewrite in place, move in, copy, delete, leave
a file cut short, fill the disk, free it.

Once every writer finished and the disk has room again: the application holds exactly the
whole files in its folder (by content), nothing else; every refused file has a non-empty
reason; every blob's name is the hash of its content."""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from frmr.daemon.refusals import REASON_SUFFIX, note_path
from frmr.model.applications import lifecycle as apps
from frmr.model.rules.filetypes import FileKind, Wholeness, wholeness
from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import load_settings
from tests.samples import pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.reads import stored_application

pytestmark = pytest.mark.real_process

_counter = itertools.count()
NAMES = ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FolderMachine(RuleBasedStateMachine):
    disk: Path
    monkeypatch: pytest.MonkeyPatch

    def __init__(self) -> None:
        super().__init__()
        n = next(_counter)
        home = self.disk / f"home-{n}"
        self.monkeypatch.setenv("FRMR_HOME", str(home))
        self.monkeypatch.setenv("FRMR_CONFIG", str(self.disk / "config.toml"))
        self.monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
        self.settings = load_settings()
        self.account: Account = open_account(self.settings)
        view = apps.new_application(
            self.account, specialty="Терапия", phone="+79161234567", email="a@example.org"
        )
        self.app_id = view.app.id
        self.folder = Path(view.folder)
        self.outside = self.disk / f"outside-{n}"
        self.outside.mkdir()
        self.writers: dict[str, tuple[IO[bytes], bytes]] = {}
        self.fillers: list[Path] = []
        self.daemon = DaemonProcess(self.settings, env={"FRMR_INCOMPLETE_SECONDS": "2"})
        self.daemon.start()

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Write as a user's copy does; on a full disk what was written stays, cut short
        (the intake must hold it, then refuse it as not fully transferred)."""
        try:
            with path.open("wb") as out:
                out.write(data)
        except OSError as error:
            assert error.errno == errno.ENOSPC, error

    @rule(name=st.sampled_from(NAMES), size=st.integers(600, 400_000))
    def create(self, name: str, size: int) -> None:
        if name in self.writers:
            return
        self._write(self.folder / name, pdf_bytes(size, f"{name} {next(_counter)}"))

    @rule(name=st.sampled_from(NAMES), size=st.integers(2_000, 400_000))
    def start_writing(self, name: str, size: int) -> None:
        """Half a file, and the writer stays open: a transfer stalled between steps."""
        if name in self.writers:
            return
        data = pdf_bytes(size, f"{name} {next(_counter)}")
        try:
            # Unbuffered, as a transfer writes: on a full disk the write itself fails (or
            # falls short), and closing has nothing left to flush that could fail again.
            out = (self.folder / name).open("wb", buffering=0)
        except OSError:
            return  # a full disk: not even created
        try:
            out.write(data[: len(data) // 2])
        except OSError:
            out.close()
            return
        self.writers[name] = (out, data)

    @precondition(lambda self: bool(self.writers))
    @rule(data=st.data())
    def finish_writing(self, data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(sorted(self.writers)))
        out, whole = self.writers.pop(name)
        try:
            out.write(whole[len(whole) // 2 :])
            out.close()
        except OSError:
            out.close()  # a full disk cut it short: it stays incomplete and is refused

    @rule(name=st.sampled_from(NAMES), size=st.integers(600, 400_000))
    def rewrite_in_place(self, name: str, size: int) -> None:
        path = self.folder / name
        if name in self.writers or not path.exists():
            return
        try:
            with path.open("r+b") as out:
                out.truncate()
                out.write(pdf_bytes(size, f"{name} rewritten {next(_counter)}"))
        except OSError as error:
            assert error.errno == errno.ENOSPC, error

    @rule(name=st.sampled_from(NAMES), size=st.integers(600, 400_000))
    def move_in(self, name: str, size: int) -> None:
        if name in self.writers:
            return
        staged = self.outside / name
        self._write(staged, pdf_bytes(size, f"{name} moved {next(_counter)}"))
        if staged.exists():
            os.replace(staged, self.folder / name)

    @rule(source=st.sampled_from(NAMES), to=st.sampled_from(NAMES))
    def copy(self, source: str, to: str) -> None:
        """Same content under two names: two references to one document."""
        if source == to or not (self.folder / source).exists():
            return
        if source in self.writers or to in self.writers:
            return
        self._write(self.folder / to, (self.folder / source).read_bytes())

    @rule(name=st.sampled_from(NAMES))
    def delete(self, name: str) -> None:
        if name not in self.writers:
            (self.folder / name).unlink(missing_ok=True)

    @rule(name=st.sampled_from(NAMES), size=st.integers(2_000, 200_000))
    def cut_short(self, name: str, size: int) -> None:
        """A transfer that died: the file stays without its end, no writer holds it."""
        if name in self.writers:
            return
        data = pdf_bytes(size, f"{name} cut {next(_counter)}")
        self._write(self.folder / name, data[: len(data) // 2])

    @rule()
    def fill_disk(self) -> None:
        filler = self.disk / f"filler-{next(_counter)}"
        with filler.open("wb") as out:
            try:
                while True:
                    out.write(b"\0" * (1 << 20))
                    out.flush()
            except OSError:
                pass
        self.fillers.append(filler)

    @precondition(lambda self: bool(self.fillers))
    @rule()
    def free_disk(self) -> None:
        for filler in self.fillers:
            filler.unlink()
        self.fillers.clear()

    def _whole_in_folder(self) -> set[str]:
        found = set()
        for path in self.folder.iterdir():
            if path.is_file() and wholeness(FileKind.PDF, path) is Wholeness.WHOLE:
                found.add(sha(path.read_bytes()))
        return found

    def _settled(self) -> bool:
        attached = {d.sha256 for d in stored_application(self.account, self.app_id).documents}
        # Files not whole must have been refused by now (FRMR_INCOMPLETE_SECONDS=2).
        return attached == self._whole_in_folder() and all(
            wholeness(FileKind.PDF, p) is Wholeness.WHOLE for p in self.folder.iterdir()
        )

    def teardown(self) -> None:
        try:
            # Room first: a writer finishing on a full disk would fail the test, not the daemon.
            if self.fillers:
                self.free_disk()
            for out, whole in self.writers.values():
                with out:
                    out.write(whole[len(whole) // 2 :])
            self.writers.clear()
            wait_for(self._settled, timeout=60, step=0.2)
            rejected = self.settings.rejected_dir
            if rejected.exists():
                for path in rejected.iterdir():
                    if not path.name.endswith(REASON_SUFFIX):
                        assert note_path(path).read_text(encoding="utf-8").strip()
            checked, bad = self.account.store.blobs.verify()
            assert bad == [] and checked >= len(self._whole_in_folder())
        finally:
            for out, _ in self.writers.values():
                out.close()
            for filler in self.fillers:
                filler.unlink(missing_ok=True)
            assert self.daemon.terminate(timeout=10) == 0
            self.account.close()


@pytest.mark.parametrize("small_disk", [40], indirect=True)
def test_folder_state_machine(small_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    FolderMachine.disk = small_disk
    FolderMachine.monkeypatch = monkeypatch
    run_state_machine_as_test(
        FolderMachine,
        settings=settings(
            max_examples=3,
            stateful_step_count=20,
            # Each example runs a daemon and waits for it to settle: shrinking a failure
            # would take longer than the suite; the failing steps are printed as they are.
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
