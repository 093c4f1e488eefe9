"""Every file the registry and the daemon make is 0600 and every folder 0700, whatever the
umask they were started under (design.md: personal data 0600 in a 0700 home)."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.daemon.logs import setup_logging
from frmr.model.documents.library import list_documents
from frmr.model.store.account import open_account
from tests.samples import ELF_HEAD, make_file, make_pdf
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.registry_process import RegistryProcess
from tests.support.world import make_world

pytestmark = pytest.mark.real_process

UMASKS = [pytest.param(0o000, id="umask000"), pytest.param(0o022, id="umask022")]


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The test process and every process it starts run under this umask."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _loose(root: Path, *, skip: set[Path]) -> list[str]:
    """What under `root` (itself included) is open to anyone but its owner, or not 0700/0600."""
    found = []
    for path in [root, *root.rglob("*")]:
        if path in skip:
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            found.append(f"{path.relative_to(root.parent)} {mode:04o}")
    return found


@pytest.mark.parametrize("umask", UMASKS, indirect=True)
def test_registry_and_daemon_files_are_private(
    umask: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The control socket's folder must be the one asked for: under pytest-xdist's deeper
    # tmp_path a socket path passes AF_UNIX's ~100 bytes and the daemon falls back to the temp
    # dir, so the folder is a short one the daemon makes itself.
    short = Path(tempfile.mkdtemp(prefix="frmr-modes-", dir="/tmp"))
    run = short / "run"
    registry = RegistryProcess(tmp_path)
    registry.db = tmp_path / "registry-data" / "registry.db"
    registry.start()
    try:
        registry.seed_demo()
        monkeypatch.setenv("FRMR_RUNTIME_DIR", str(run))
        world = make_world(registry, tmp_path / "home" / "frmr", monkeypatch)
        world.account.close()
        settings = world.settings
        daemon = DaemonProcess(settings, env={"FRMR_RUNTIME_DIR": str(run)})
        daemon.start()
        try:
            good = make_pdf(settings.documents_dir / "диплом.pdf")
            bad = make_file(settings.documents_dir / "не документ.pdf", ELF_HEAD, 10)
            with open_account(settings) as account:
                wait_for(
                    lambda: (
                        (s := daemon.status()) is not None
                        and s.rejected_files == 1
                        and len(list_documents(account)) == 1
                    )
                )
            assert daemon.terminate() == 0
        finally:
            daemon.kill()
    finally:
        registry.stop()
    # The worker's own files keep the mode the worker gave them: frmr never changes them.
    # The daemon's stderr is the test's file.
    dropped = {good, settings.documents_dir / "rejected" / bad.name, daemon.stderr}
    assert (settings.documents_dir / "rejected" / bad.name).exists()
    assert any((settings.home / "blobs").rglob("*/*")), "no blob was stored"
    assert settings.layout.daemon_log.exists()
    loose = [
        *_loose(tmp_path / "registry-data", skip=set()),
        *_loose(tmp_path / "home", skip=dropped),
        *_loose(run, skip=set()),
        *_loose(tmp_path / "port", skip=set()),
    ]
    shutil.rmtree(short)
    assert loose == [], f"umask {umask:03o}"


@pytest.mark.parametrize("umask", UMASKS, indirect=True)
def test_a_rotated_daemon_log_starts_private(umask: int, tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs" / "daemon.log", to_stderr=False, max_bytes=200)
    try:
        for n in range(20):
            logging.getLogger("frmr.test").info("line %d of a log that outgrows its file", n)
    finally:
        for handler in logging.getLogger().handlers:
            handler.close()
        logging.getLogger().handlers.clear()
    assert path.with_name("daemon.log.1").exists(), "the log did not rotate"
    assert _loose(tmp_path / "logs", skip=set()) == []
