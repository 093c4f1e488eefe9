"""Logging for the daemon: stderr and a rotating file, every line masked for СНИЛС."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from frmr.model.masking import mask_personal_data
from frmr.model.store import make_private_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted line, tracebacks included: an argument or an exception text
    may carry a СНИЛС that no call site thought of."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))


def setup_logging(path: Path, *, to_stderr: bool, level: int = logging.INFO) -> Path:
    make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    formatter = MaskingFormatter(FORMAT)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(path, maxBytes=5 * 1024 * 1024, backupCount=3)
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
