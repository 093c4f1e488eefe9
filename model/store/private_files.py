"""Writing a small file with personal data or secrets: whole or not at all, owner-only.

docs/architecture.md: the database and credentials are 0600. A temp file beside the target is made
0600 (mkstemp), written and fsynced, then renamed over the target and the folder fsynced,
the way isync saves its state: a crash leaves the old file or the new one, never half.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    # A short temp name: the target's own may already be as long as a name can be.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".frmr-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
