"""What the logs may hold: СНИЛС and passport numbers only as masks."""

from __future__ import annotations

import logging

import pytest

from frmr.model.rules.masking import MaskingFormatter, mask_personal_data


def test_snils_is_masked_in_free_text() -> None:
    text = "login snils=112-233-445 95 then 11223344595, and 112 233 445 95."
    masked = mask_personal_data(text)
    assert "112" not in masked.replace("***-***-445 95", "")
    assert masked.count("***-***-445 95") == 3


@pytest.mark.parametrize(
    "written", ["45 10 123456", "4510 123456", "4510123456", "4510 № 123456", "45\u00a010 123456"]
)
def test_a_passport_is_masked_however_it_is_written(written: str) -> None:
    masked = mask_personal_data(f"identity document {written} saved")
    assert masked == "identity document ** ** ***456 saved"


def test_both_in_one_line() -> None:
    masked = mask_personal_data("snils 112-233-445 95 passport 4510 123456")
    assert masked == "snils ***-***-445 95 passport ** ** ***456"


def test_longer_digit_runs_such_as_an_inn_are_left_alone() -> None:
    assert mask_personal_data("inn 500100732259 id 2024") == "inn 500100732259 id 2024"
    assert mask_personal_data("number ФРМР-2026-000001") == "number ФРМР-2026-000001"


@pytest.mark.parametrize(
    "written",
    ["112-233-445 95", "112 233 445 95", "112.233.445.95", "112_233_445_95", "11223344595",
     "112-233-445-95", "112/233/445 95", "112\t233\t445\t95", "112\u00a0233\u00a0445\u00a095"],
)  # fmt: skip
def test_snils_is_masked_with_any_separator(written: str) -> None:
    assert mask_personal_data(f"snils={written};") == "snils=***-***-445 95;"


@pytest.mark.parametrize(
    "written", ["45.10.123456", "45_10_123456", "45-10-123456", "45 10-123456"]
)
def test_a_passport_is_masked_with_any_separator(written: str) -> None:
    assert mask_personal_data(f"passport {written}") == "passport ** ** ***456"


def test_a_log_message_is_one_line_whatever_its_arguments_hold() -> None:
    """A file name with a newline can't forge a second log line; an escape sequence can't act
    on the terminal that tails the log. The traceback keeps its own lines."""
    formatter = MaskingFormatter("%(levelname)s %(message)s")
    name = "скан\nINFO подделка\x1b]0;pwned\x07\u202e.pdf"
    record = logging.LogRecord("frmr", logging.INFO, __file__, 1, "imported %s", (name,), None)
    assert formatter.format(record) == (
        "INFO imported скан\\x0aINFO подделка\\x1b]0;pwned\\x07\\u202e.pdf"
    )
