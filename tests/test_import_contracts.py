"""Each import-linter contract fails when its rule is broken: a copy of the package with one
planted import per contract, checked by lint-imports with the project's own configuration."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# One import per contract, each in a module no other plant touches, so every contract is
# broken by exactly one line.
PLANTS = {
    "Faces over sync over the contract over model": ("model/store/engine.py", "frmr.sync.retry"),
    "The registry imports only the wire contract and model's pure rules": (
        "registry/app.py",
        "frmr.model.store.blobs",
    ),
    "The pure rules import nothing of ours but each other": (
        "model/rules/snils.py",
        "frmr.model.portfolio.parts",
    ),
    "The wire contract imports only the pure rules": (
        "contract/protocol.py",
        "frmr.model.portfolio.row_kinds",
    ),
    "Only model, sync, the daemon and the registry touch a database": ("cli/apps.py", "sqlite3"),
    "model imports no UI, HTTP or server library": ("model/portfolio/parts.py", "click"),
    "Headless layers never import textual": ("daemon/cli.py", "textual"),
}


def test_every_contract_fails_on_a_planted_violation(tmp_path: Path) -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    names = [c["name"] for c in config["tool"]["importlinter"]["contracts"]]
    # A contract added without a plant here would never be seen to fail.
    assert sorted(n.split(" (")[0] for n in names) == sorted(PLANTS), names

    package = tmp_path / "src" / "frmr"
    shutil.copytree(REPO / "src" / "frmr", package, symlinks=False)
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    support = tmp_path / "tests" / "support"
    support.mkdir(parents=True)
    for init in (tmp_path / "tests" / "__init__.py", support / "__init__.py"):
        init.write_text("")
    shutil.copy(REPO / "tests" / "support" / "import_contracts.py", support)
    for module, imported in PLANTS.values():
        with (package / module).open("a", encoding="utf-8") as f:
            f.write(f"\nimport {imported}  # planted\n")

    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    for name in names:
        assert re.search(rf"^{re.escape(name)} BROKEN", out, re.M), (name, out)
    assert f"Contracts: 0 kept, {len(names)} broken." in out, out
