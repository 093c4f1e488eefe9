"""A setting Settings can't take: the TUI says which one and where, in Russian, instead of
dying with a traceback in its boot worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from frmr.tui.app import make_app
from tests.tui.support import record_notices, wait_for

pytestmark = pytest.mark.anyio


async def test_a_bad_setting_is_named_on_screen(
    frmr_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRMR_READINESS_WINDOW", "1y")
    app = make_app(None, start_services=False, ask_login=False)
    notes = record_notices(app)
    async with app.run_test(size=(100, 30)) as pilot:

        def told() -> bool:
            return any(
                "Неверное значение настройки readiness_window" in n and "FRMR_READINESS_WINDOW" in n
                for n in notes
            )

        await wait_for(pilot, told)
        assert app.account is None
