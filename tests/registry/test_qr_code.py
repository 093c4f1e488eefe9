"""QR login codes are typed by hand: `frmr sandbox approve CODE`."""

from __future__ import annotations

import pytest

from frmr.registry import auth


def test_a_qr_code_never_reads_as_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    """One of token_urlsafe's codes in 64 starts with «-», and click took it for an option."""
    drawn = iter(["-GWi-Jx4izUJSKSmQI1NYw", "--x", "GWi-Jx4izUJSKSmQI1NYw"])
    monkeypatch.setattr(auth.secrets, "token_urlsafe", lambda _n: next(drawn))
    assert auth.qr_code() == "GWi-Jx4izUJSKSmQI1NYw"
