"""The registry refuses the dates the client refuses (model.rules.dates.check_plausible, one rule):
a birth date in 1800 or 2099, a job or a course begun in 1800 or 2099, an end 80 years ahead.
Before, it stored them, the client adopted them, and the card could no longer be saved."""

from __future__ import annotations

import uuid

import pytest

from frmr.contract.protocol import Paths


@pytest.mark.parametrize("born", ["1800-01-01", "2099-01-01"])
def test_an_implausible_birth_date_is_refused(make_person, born: str) -> None:
    person = make_person()
    got = person.client.get(Paths.ME)
    answer = person.client.put(
        Paths.ME, json={**got.json(), "birth_date": born}, headers={"If-Match": got.headers["ETag"]}
    )
    assert answer.status_code == 422, answer.text
    assert "Дата рождения" in answer.text
    assert person.client.get(Paths.ME).json()["birth_date"] == got.json()["birth_date"]


JOB = {
    "organization": "ГБУЗ ГКБ № 1",
    "position": "Врач-терапевт",
    "position_type": "main",
    "begin_date": "2015-09-01",
}
COURSE = {
    "kind": "dpp_pk",
    "institution": "РМАНПО",
    "theme": "Терапия",
    "hours": 144,
    "begin_date": "2024-03-01",
    "end_date": "2024-03-30",
}


@pytest.mark.parametrize(
    ("collection", "item", "field", "value"),
    [
        ("employment", JOB, "begin_date", "1800-01-01"),
        ("employment", JOB, "begin_date", "2099-01-01"),
        ("employment", JOB, "end_date", "2099-01-01"),
        ("courses", COURSE, "begin_date", "1800-01-01"),
        ("courses", COURSE, "begin_date", "2099-01-01"),
        ("courses", COURSE, "doc_date", "1800-01-01"),
    ],
)
def test_an_implausible_portfolio_date_is_refused(
    make_person, collection: str, item: dict[str, object], field: str, value: str
) -> None:
    person = make_person()
    path = f"{Paths.ME}/{collection}/{uuid.uuid4()}"
    answer = person.client.put(path, json={**item, field: value}, headers={"If-None-Match": "*"})
    assert answer.status_code == 422, answer.text
    assert "Дата" in answer.text
    # The same item with plausible dates is taken: the refusal was the date's.
    assert person.client.put(path, json=item, headers={"If-None-Match": "*"}).status_code == 201
