"""The formats the portal checks in a passport and an address, the same in the client's forms
and in the registry: «12345» as a passport number, «77-01» as a division code and «not-a-guid»
as a ФИАС code were saved and synced before."""

from __future__ import annotations

import pytest

from frmr.contract.protocol import Address, IdentityDocument
from frmr.model.portfolio.edits import add_row
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.identity import check_passport, normalize_division_code, normalize_fias_guid
from frmr.model.store.account import Account

PASSPORT = "Паспорт гражданина РФ"
GUID = "0c5b2444-70a0-4932-980c-b4dc0d3f02b5"


@pytest.mark.parametrize("typed", ["770-001", "770001", " 770-001 "])
def test_division_code_is_written_nnn_nnn(typed: str) -> None:
    assert normalize_division_code(typed) == "770-001"


@pytest.mark.parametrize("typed", ["77-01", "7700011", "770_001", "ААА-001"])
def test_a_division_code_of_another_shape_is_refused(typed: str) -> None:
    with pytest.raises(FieldInvalid) as refused:
        normalize_division_code(typed)
    assert refused.value.user_message.startswith("Код подразделения: шесть цифр")


def test_fias_guid_takes_the_8_4_4_4_12_form_only() -> None:
    assert normalize_fias_guid(GUID.upper()) == GUID
    for bad in ("not-a-guid", "{" + GUID + "}", "urn:uuid:" + GUID, GUID[:-1]):
        with pytest.raises(FieldInvalid) as refused:
            normalize_fias_guid(bad)
        assert refused.value.user_message.startswith("ГУИД ФИАС")


def test_a_russian_passport_has_4_digit_series_and_6_digit_number() -> None:
    check_passport(PASSPORT, "45 06", "123456")
    check_passport("паспорт гражданина Российской Федерации", "4506", "123456")
    with pytest.raises(FieldInvalid) as refused:
        check_passport(PASSPORT, "4506", "12345")
    assert refused.value.field == "number"
    assert refused.value.user_message.startswith("Номер паспорта")
    with pytest.raises(FieldInvalid) as refused:
        check_passport(PASSPORT, "45", "123456")
    assert refused.value.field == "serial"
    # A foreign passport or a residence permit keeps its own format.
    check_passport("Вид на жительство", "82", "1234567")


def test_the_forms_refuse_what_the_portal_refuses(account: Account) -> None:
    with pytest.raises(FieldInvalid) as refused:
        add_row(
            account,
            "identity-documents",
            {"doc_type": PASSPORT, "serial": "4506", "number": "12345"},
        )
    assert refused.value.field == "number"
    with pytest.raises(FieldInvalid) as refused:
        add_row(
            account,
            "identity-documents",
            {"doc_type": PASSPORT, "serial": "4506", "number": "123456", "division_code": "77-01"},
        )
    assert refused.value.field == "division_code"
    with pytest.raises(FieldInvalid) as refused:
        add_row(
            account,
            "addresses",
            {"kind": "registration", "region": "Москва", "fias_guid": "not-a-guid"},
        )
    assert refused.value.field == "fias_guid"
    row = add_row(
        account,
        "identity-documents",
        {"doc_type": PASSPORT, "serial": "45 06", "number": "123456", "division_code": "770001"},
    )
    assert row.division_code == "770-001"


def test_the_registry_contract_refuses_the_same() -> None:
    with pytest.raises(ValueError, match="Номер паспорта"):
        IdentityDocument(doc_type=PASSPORT, serial="4506", number="12345")
    with pytest.raises(ValueError, match="Код подразделения"):
        IdentityDocument(doc_type=PASSPORT, serial="4506", number="123456", division_code="77-01")
    with pytest.raises(ValueError, match="ГУИД ФИАС"):
        Address(kind="registration", region="Москва", fias_guid="not-a-guid")
    assert Address(kind="registration", region="Москва", fias_guid=GUID).fias_guid == GUID
