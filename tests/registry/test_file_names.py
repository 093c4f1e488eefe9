"""The registry refuses a document whose X-File-Name carries a control or bidi character,
with the client's rule (model.rules.text.check_file_name) and a structured Russian error."""

from __future__ import annotations

import pytest

from frmr.contract.protocol import Paths

from .conftest import pdf

HOSTILE_NAMES = [
    pytest.param("скан\n2026-12-06 20:00:00,000 INFO frmr: подделка.pdf", id="newline"),
    pytest.param("\x1b]0;pwned\x07скан.pdf", id="osc-retitle"),
    pytest.param("\x1b[31mскан.pdf", id="sgr-recolour"),
    pytest.param("отчёт\u202efdp.exe", id="rlo"),
    pytest.param("скан\u2066.pdf", id="lri"),
    pytest.param("скан\x00.pdf", id="nul"),
    pytest.param("скан\r.pdf", id="cr"),
    pytest.param("скан\x9b2J.pdf", id="c1-csi"),
    pytest.param("я" * 128 + ".pdf", id="over-255-bytes"),
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_file_name_is_refused_and_nothing_stored(make_person, name: str) -> None:
    person = make_person()
    answer = person.upload(pdf(salt=name), name=name)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "text_invalid"
    assert body["message"].startswith("Имя файла")
    assert (
        "имя файла" in body["details"]["fix"].lower()
        or "Переименуйте файл" in body["details"]["fix"]
    )
    # The refusal quotes the name escaped: the client prints it as it is.
    assert not any(c in body["message"] for c in "\n\r\x1b\x07\x00\x9b\u202e\u2066")
    assert person.client.get(Paths.DOCUMENTS).json() == []


def test_an_ordinary_russian_name_with_spaces_is_kept_as_sent(make_person) -> None:
    person = make_person()
    name = "Смирнов А.В.  трудовая книжка на 3 л..pdf"
    answer = person.upload(pdf(), name=name)
    assert answer.status_code == 201, answer.text
    assert answer.json()["file_name"] == name
