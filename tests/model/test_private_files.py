"""write_private leaves the old file or the whole new one, owner-only, and no temp files."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from frmr.model.store.private_files import write_private


def test_replaces_a_readable_file_with_an_owner_only_one(tmp_path: Path) -> None:
    target = tmp_path / "registry.json"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, "новое".encode())
    assert target.read_text() == "новое"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.json"]


def test_a_failed_rename_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "token.json"
    target.mkdir()
    (target / "keep").write_text("x")
    with pytest.raises(OSError):
        write_private(target, b"secret")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["token.json"]
    assert (target / "keep").read_text() == "x"


def test_a_name_as_long_as_a_name_may_be_is_written(tmp_path: Path) -> None:
    # 250 bytes of Cyrillic and «.pdf»: what a portal set or a report may be named.
    name = "д" * 125 + ".pdf"
    write_private(tmp_path / name, b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == [name]
