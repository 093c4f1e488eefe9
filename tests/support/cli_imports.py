"""Which of the heavy libraries a run of `frmr` commands loads, in a fresh child process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence

# What the quick read-only paths must never import: the ORM, migrations, pydantic-settings.
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic_settings")


def heavy_modules_loaded(
    commands: Sequence[Sequence[str]],
    *,
    exit_codes: tuple[int, ...] = (0,),
    env: Mapping[str, str] | None = None,
) -> list[str]:
    """Run `commands` one after another in one child process (as `frmr` would, through
    click), each ending with one of `exit_codes`; the HEAVY modules it then holds."""
    probe = (
        "import json, sys\n"
        "from frmr.cli.main import cli\n"
        f"for args in {[list(c) for c in commands]!r}:\n"
        "    try:\n"
        "        cli(args, prog_name='frmr')\n"
        "    except SystemExit as exit:\n"
        f"        assert (exit.code or 0) in {exit_codes!r}, exit.code\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    loaded: list[str] = json.loads(out.splitlines()[-1])
    return loaded
