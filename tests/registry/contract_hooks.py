"""Schemathesis hooks for the registry's contract fuzz: what a JSON schema can't say.

A positive case (data the schema accepts) is made true in the few ways no schema can
express, so that a refusal of it is a real contract mismatch:

- an Idempotency-Key is fresh for each request (a reused key answers the first request's
  result, or 422 for another request — the key's meaning, not the request's validity);
- the person card keeps the account's СНИЛС (immutable) and a ИНН with right check digits;
- dates fall in the plausible range of their kind (model.rules.dates: a birth date from 1900
  to an age of 14, past events not after today, ends within ten years);
- a division code, a ФИАС GUID and a Russian passport's series and number are in the format
  the portal checks (model.rules.identity), which a text field's one pattern can't also say.

Negative cases are left as generated. Values come from a counter, not a random source, so a
seeded run is the same run. Loaded by test_contract_fuzz.py, or for the CLI:
SCHEMATHESIS_HOOKS=tests/registry/contract_hooks.py, with FRMR_FUZZ_SNILS set.
"""

from __future__ import annotations

import itertools
import os
import re
from typing import Any

import schemathesis
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode

from frmr.contract.protocol import IDEMPOTENCY_KEY, Paths

SNILS_ENV = "FRMR_FUZZ_SNILS"
# A ИНН with right check digits (the demo worker's).
VALID_INN = "500100732259"
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# One plausible value per kind of date; a begin and its end may be the same day.
PLAUSIBLE = {"birth_date": "1980-05-01"}
PAST_OR_END = "2020-01-01"
FORMATTED = {
    "division_code": "770-001",
    "fias_guid": "0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
    "serial": "4506",
    "number": "123456",
}

_counter = itertools.count(1)


@schemathesis.serializer("application/pdf")
def _pdf(context: Any, value: Any) -> bytes:
    # Uploads are raw bytes; Schemathesis has serializers for images but not for PDF.
    return value if isinstance(value, bytes) else str(value).encode()


def _is_positive(case: Any) -> bool:
    meta = case.meta
    if meta is None:
        return True
    # The coverage phase makes one component negative in an otherwise positive case.
    return meta.generation.mode is GenerationMode.POSITIVE and not any(
        component.mode.is_negative for component in meta.components.values()
    )


def _body_is_positive(case: Any) -> bool:
    """The body's own component was made valid, whatever a header's was: a case whose only
    negative part is a header is still judged on a body the schema accepts."""
    meta = case.meta
    if meta is None:
        return True
    body = meta.components.get(ParameterLocation.BODY)
    if body is None:
        return meta.generation.mode is GenerationMode.POSITIVE
    return not body.mode.is_negative


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    if isinstance(case.body, dict) and _body_is_positive(case):
        body = case.body
        for key, value in body.items():
            if isinstance(value, str) and ISO_DATE.fullmatch(value):
                body[key] = PLAUSIBLE.get(key, PAST_OR_END)
            elif isinstance(value, str) and key in FORMATTED:
                body[key] = FORMATTED[key]
    if not _is_positive(case):
        return case
    serial = next(_counter)
    headers = case.headers or {}
    # A header is replaced only where its generated value was valid: the metadata doesn't
    # always say which header a coverage case made negative.
    if 1 <= len(str(headers.get(IDEMPOTENCY_KEY, ""))) <= 200:
        headers[IDEMPOTENCY_KEY] = f"fuzz-{serial}"
    if case.headers is not None:
        case.headers = headers
    if case.method == "PUT" and case.path == Paths.ME and isinstance(case.body, dict):
        body = case.body
        if re.fullmatch("[0-9]{11}", str(body.get("snils"))):
            body["snils"] = os.environ[SNILS_ENV]
        if re.fullmatch("[0-9]{12}", str(body.get("inn"))):
            body["inn"] = VALID_INN
    return case
