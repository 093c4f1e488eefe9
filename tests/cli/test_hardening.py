"""`frmr` refuses what the registry would refuse, and keeps personal data private."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FRMR = shutil.which("frmr") or str(Path(sys.executable).with_name("frmr"))


class Frmr:
    def __init__(self, tmp_path: Path) -> None:
        self.home = tmp_path / "home"
        self.env = {**os.environ, "FRMR_HOME": str(self.home)}
        self.env["FRMR_CONFIG"] = str(tmp_path / "config.toml")
        self.env.pop("FRMR_REGISTRY_URL", None)

    def __call__(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [FRMR, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        if ok:
            assert result.returncode == 0, result.stderr
        return result


@pytest.fixture
def frmr(tmp_path: Path) -> Frmr:
    return Frmr(tmp_path)


def test_a_terminal_escape_in_a_name_is_refused_with_exit_2(frmr: Frmr) -> None:
    refused = frmr("profile", "set", "last_name", "\x1b]0;pwned\x07Иванова\x1b[2J", ok=False)
    assert refused.returncode == 2
    assert "недопустимый управляющий символ" in refused.stderr and "\x1b" not in refused.stderr
    for value in ("\u200b", "Иванова\u202e", "\x07"):
        assert frmr("profile", "set", "first_name", value, ok=False).returncode == 2
    frmr("profile", "set", "last_name", "Иванова")
    assert "Иванова" in frmr("profile", "show").stdout
