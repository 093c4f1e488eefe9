"""`frmr-daemon` with a setting Settings can't take: a Russian line and exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from frmr.daemon.cli import main


@pytest.mark.parametrize("command", ["status", "run", "sync-now"])
def test_a_bad_setting_is_refused_in_russian(
    frmr_home: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setenv("FRMR_SETTLE_SECONDS", "скоро")
    result = CliRunner().invoke(main, [command])
    assert result.exit_code == 2, result.output
    assert "Неверное значение настройки settle_seconds" in result.stderr
    assert "FRMR_SETTLE_SECONDS" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
