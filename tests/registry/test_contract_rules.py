"""The patterns the contract publishes accept exactly what model's rules accept, read both by
Python's re and by the JSON-schema validator a schema reader uses (jsonschema_rs)."""

from __future__ import annotations

import re

import jsonschema_rs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from frmr.contract.protocol import ETAG_PATTERN, parse_etag
from frmr.model.rules.contacts import EMAIL_PATTERN, PHONE_PATTERN, normalize_email, normalize_phone
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.text import BIDI_CONTROLS, ZERO_WIDTH, TextInvalid, TextRule, clean_text
from frmr.model.rules.text import text_pattern as pattern_of

RULES = [
    TextRule(12),
    TextRule(12, multiline=True),
    TextRule(12, allow_empty=True),
    TextRule(12, multiline=True, allow_empty=True),
]

# Text that reaches every branch of the rule: controls, bidi, zero-width, whitespace, CRLF.
tricky = st.text(
    alphabet=st.one_of(
        st.sampled_from(sorted(BIDI_CONTROLS | ZERO_WIDTH) + list("\r\n\t \x00\x1b\x85\xa0\u3000")),
        st.characters(codec="utf-8"),
    ),
    max_size=14,
)


def validator(pattern: str) -> jsonschema_rs.Validator:
    return jsonschema_rs.validator_for({"type": "string", "pattern": pattern})


def accepted(rule: TextRule, value: str) -> bool:
    """What the registry takes (contract.protocol.FreeText): the value as sent within the
    limit, then clean_text. clean_text alone measures the tidied value, so it takes twelve
    characters and a trailing space, which the limit on the sent value refuses."""
    if len(value) > rule.max_length:
        return False
    try:
        clean_text(value, rule, field="f")
    except TextInvalid:
        return False
    return True


@pytest.mark.parametrize("rule", RULES, ids=str)
@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(value=tricky)
@example(value="\u200b")
@example(value="  ")
@example(value="a\r\nb")
@example(value="a\rb")
@example(value="x\n")
@example(value="000000000000 ")
def test_the_text_pattern_is_the_text_rule(rule: TextRule, value: str) -> None:
    pattern = pattern_of(rule)
    schema_says = len(value) <= rule.max_length and validator(pattern).is_valid(value)
    assert schema_says == (re.fullmatch(pattern, value) is not None and len(value) <= 12)
    assert schema_says == accepted(rule, value)


def _refused(normalize: object, value: str) -> bool:
    try:
        normalize(value)  # type: ignore[operator]
    except FieldInvalid:
        return True
    return False


phones = st.text(alphabet=st.sampled_from("+0123456789789 ()-.\u00a0\u2012\n\x1ca"), max_size=18)


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(value=phones)
@example(value="+7 912 345-67-89")
@example(value="8 (912) 345-67-89\n")
@example(value="+7 712 345 67 89")
def test_the_phone_pattern_is_the_phone_rule(value: str) -> None:
    schema_says = validator(PHONE_PATTERN).is_valid(value)
    assert schema_says == (not _refused(normalize_phone, value))


emails = st.text(alphabet=st.sampled_from("ab1@. \t\n\u200b\u202eя\x1b"), max_size=12)


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(value=emails)
@example(value=" a@b.ru ")
@example(value="a@b.r1")
@example(value="a\u202e@b.ru")
@example(value="a@b.ru\n")
def test_the_email_pattern_is_the_email_rule(value: str) -> None:
    schema_says = validator(EMAIL_PATTERN).is_valid(value)
    assert schema_says == (not _refused(normalize_email, value))


@pytest.mark.parametrize(
    "value", ['"1"', 'W/"7"', "1", '"²"', '"' + "9" * 19 + '"', '"1"\n', '"-1"', ""]
)
def test_the_etag_pattern_is_what_parse_etag_reads(value: str) -> None:
    assert validator(ETAG_PATTERN).is_valid(value) == (parse_etag(value) is not None)
