"""A small real disk for tests of a full disk: a tmpfs of a given size (CI runs as root and
can mount one; elsewhere the test is skipped with the reason).

The size is the fixture's parameter: `@pytest.mark.parametrize("small_disk", [40],
indirect=True)`; without one it is DEFAULT_MB."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

DEFAULT_MB = 30


@pytest.fixture
def small_disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    size_mb = int(getattr(request, "param", DEFAULT_MB))
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here (needs root): {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)
