"""Logging for the daemon: stderr and a rotating file, every line masked for СНИЛС."""

from __future__ import annotations

import io
import logging
import logging.handlers
import sys
from pathlib import Path

from frmr.model.rules.masking import MaskingFormatter
from frmr.model.rules.private import create_private_file, open_private_append

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 5 * 1024 * 1024


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotation renames the full log away and opens a new one: with the stock handler that
    new file took the umask's mode (0644, 0666 under umask 000)."""

    def _open(self) -> io.TextIOWrapper:
        return open_private_append(Path(self.baseFilename), self.encoding)


def setup_logging(
    path: Path, *, to_stderr: bool, level: int = logging.INFO, max_bytes: int = MAX_BYTES
) -> Path:
    create_private_file(path)
    formatter = MaskingFormatter(FORMAT)
    handlers: list[logging.Handler] = [
        PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=3, encoding="utf-8")
    ]
    if to_stderr:
        handlers.append(logging.StreamHandler(sys.stderr))
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO: too chatty for a file kept for weeks.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("watchdog").setLevel(logging.WARNING)
    return path
