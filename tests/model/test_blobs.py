"""The blob folder: content-addressed, atomic, deduplicated, and tidy after a crash."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

from frmr.model.store.blobs import BlobStore
from frmr.model.store.engine import open_store


def test_same_content_is_stored_once_under_its_hash(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "blobs")
    a = tmp_path / "a.pdf"
    a.write_bytes(b"%PDF-1.7 same")
    b = tmp_path / "b.pdf"
    b.write_bytes(b"%PDF-1.7 same")
    first, second = blobs.put_file(a), blobs.put_file(b)
    assert first.sha256 == second.sha256 == hashlib.sha256(b"%PDF-1.7 same").hexdigest()
    assert first.path == second.path
    assert [p for p in blobs.root.rglob("*") if p.is_file()] == [first.path]
    assert a.read_bytes() == b"%PDF-1.7 same" and b.exists()


def test_stale_temp_copies_are_swept_at_open_and_fresh_ones_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    open_store(home).close()
    blobs = home / "blobs"
    stale = blobs / ".incoming-stale"
    fresh = blobs / ".incoming-fresh"
    stale.write_bytes(b"half a file")
    fresh.write_bytes(b"being written")
    hour_ago = time.time() - 7200
    os.utime(stale, (hour_ago, hour_ago))
    open_store(home).close()
    assert not stale.exists()
    assert fresh.exists()


def test_temp_copies_of_a_process_that_is_gone_are_swept_at_open_at_any_age(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    open_store(home).close()
    blobs = home / "blobs"
    gone = subprocess.Popen(["true"])
    gone.wait()
    with subprocess.Popen(["sleep", "60"]) as running:
        left = blobs / f".incoming-{gone.pid}-abc123"
        written = blobs / f".incoming-{running.pid}-def456"
        left.write_bytes(b"half a file")
        written.write_bytes(b"being written")
        open_store(home).close()
        running.kill()
    assert not left.exists()
    assert written.exists()
