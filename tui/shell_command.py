"""Our own commands as a hint can name them: so that they run when typed as shown.

The quick start installs into a virtualenv and never puts its `bin` on PATH, so a hint saying
«frmr sandbox approve …» answered «command not found». The scripts sit beside the Python that
runs us; where PATH finds that same script, its bare name is enough."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path


def shown_command(name: str, env: Mapping[str, str] | None = None) -> str:
    """`name` when the shell finds our own script by it, otherwise its full path."""
    ours = Path(sys.executable).with_name(name)
    if not ours.exists():
        return name  # not installed as scripts (a test run from source): nothing better
    found = shutil.which(name, path=(env if env is not None else os.environ).get("PATH"))
    if found is not None and Path(found).resolve() == ours.resolve():
        return name
    return shlex.quote(str(ours))
