"""model/, sync/ and daemon/ never import textual: the daemon must stay small and headless."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
for package in ("frmr.model", "frmr.sync", "frmr.daemon"):
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        importlib.import_module(info.name)
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.", "frmr.tui")))
print(",".join(leaked))
"""


def test_model_sync_and_daemon_never_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""
