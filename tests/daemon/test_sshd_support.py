"""The sshd test support itself: real scp and rsync reach a folder through it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tests.support.sshd import Sshd

pytestmark = pytest.mark.real_process


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_scp_and_rsync_copy_through_real_sshd(sshd: Sshd, tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(os.urandom(300_000))
    dest = tmp_path / "dest"
    dest.mkdir()
    sshd.scp(source, str(dest / "by-scp.bin"), limit_kbit=20_000)
    sshd.rsync(source, str(dest / "by-rsync.bin"))
    assert _sha(dest / "by-scp.bin") == _sha(source)
    assert _sha(dest / "by-rsync.bin") == _sha(source)
