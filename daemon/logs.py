"""Logging for the daemon: stderr and a rotating file, every line masked for СНИЛС."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from frmr.model.masking import MaskingFormatter
from frmr.model.private import create_private_file

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(path: Path, *, to_stderr: bool, level: int = logging.INFO) -> Path:
    create_private_file(path)
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
