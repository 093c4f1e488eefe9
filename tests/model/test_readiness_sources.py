"""The rule set and the lists of positions against the texts that were read (2026-12-06).

What the search tool's stored copies hold is quoted here; what they do not hold stays marked
as not read: every list of positions is `"verified": false` in positions.json, since no copy
holds the tables of 205н, 206н or 83н.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from frmr.model.readiness.positions import counts_for, position_map
from frmr.model.readiness.rules import load_rules

POSITIONS = Path(__file__).parents[2] / "model" / "readiness" / "positions.json"
# Where a copy of 707н's row turns from the training required to the positions.
POSITIONS_START = "трудовой деятельности. "


def _entries_with_a_row() -> list[dict[str, Any]]:
    data = json.loads(POSITIONS.read_text("utf-8"))
    return [e for e in data["specialties"] if "replaced_order_row" in e]


def _positions_of(quote: str) -> list[str]:
    text = quote.split(POSITIONS_START)[-1]
    return [p.strip(" .") for p in text.split(";") if p.strip(" .")]


def test_aviation_medicine_holds_exactly_the_positions_of_its_707n_row() -> None:
    """707н (replaced by 206н), «Авиационная и космическая медицина», as an unofficial copy
    gives it (gist.github.com/438f91f50250fc3b6c63760b8b51c4cb; the copy drops brackets):
    «Врач по авиационной и космической медицине; заведующий (начальник) структурного
    подразделения (отдела, отделения, лаборатории, кабинета, отряда и другое) медицинской
    организации - врач по авиационной и космической медицине.»"""
    allowed = position_map().positions("Авиационная и космическая медицина", "higher")
    assert allowed == ("Врач по авиационной и космической медицине",)
    head = (
        "Заведующий (начальник) структурного подразделения (отдела, отделения, лаборатории, "
        "кабинета, отряда и другое) медицинской организации - врач по авиационной и "
        "космической медицине"
    )
    assert counts_for(head, allowed)
    assert not counts_for("Врач-терапевт", allowed)


def test_obstetrics_counts_every_position_its_707n_row_shows() -> None:
    """The copy cuts this row short: «Врач-акушер-гинеколог; врач-акушер-гинеколог
    цехового врачебного участка; заведующий (начальник) структурного подразделения …
    медицинской организации - врач-акушер-…». Each position shown counts; the row's end is
    not read, so the list may lack a position the order names."""
    allowed = position_map().positions("Акушерство и гинекология", "higher")
    for shown in ("Врач-акушер-гинеколог", "Врач-акушер-гинеколог цехового врачебного участка"):
        assert counts_for(shown, allowed), shown


@pytest.mark.parametrize("entry", _entries_with_a_row(), ids=lambda e: e["name"])
def test_each_list_carrying_a_row_of_the_replaced_order_agrees_with_it(
    entry: dict[str, Any],
) -> None:
    row = entry["replaced_order_row"]
    assert "707н" in row["order"] and row["url"].startswith("https://") and row["checked"]
    # Evidence of the pattern, not a check against 206н: the entry stays unverified.
    assert entry["verified"] is False
    allowed = tuple(entry["positions"])
    shown = _positions_of(row["quote"])
    # A row cut short ends in a fragment («… - врач-акушер-»): only whole positions count.
    whole = shown if row["complete"] else shown[:-1]
    assert whole, row["quote"]
    for position in whole:
        assert counts_for(position, allowed), position
    if row["complete"]:
        named = {p.casefold() for p in whole}
        assert {p.casefold() for p in allowed} <= named


def test_the_documents_rule_gives_the_paragraph_a_page_names_and_says_it_was_not_read() -> None:
    """mi.khsu.ru: «Документы, перечень которых установлен пунктами 89 и 90 действующего
    Положения об аккредитации …» — a number a page gives, not the paragraph's text."""
    rule = load_rules().rule("documents")
    assert rule.order is not None and rule.order.paragraph is None
    cited = rule.cite()
    assert cited.startswith("Приказ Минздрава России от 28.10.2022 № 709н")
    assert ", пп. 89–90 (номер пункта — по https://mi.khsu.ru/" in cited
    assert "текст пункта не сверен" in cited
    assert "szgmu.ru" in cited  # the list itself, as the page that was read gives it
    assert rule.as_json()["order"]["paragraph_reported"]["paragraph"] == "пп. 89–90"


def test_the_review_terms_still_rest_on_pages_with_no_paragraph_of_709n() -> None:
    """20 + 15 working days: mediator-med.ru («в течение 20 рабочих дней … 15 дней ЦАК …
    Итого 35 рабочих дней … не нарушают приказ № 709н»); no copy of 709н was read, so no
    paragraph is claimed. ipk-perm.ru: «Заседание центральной аккредитационной комиссии
    проходит 1 раз в последний вторник месяца»."""
    rules = load_rules()
    for rule_id, days in (("review_fac", 20), ("review_cac", 15)):
        rule = rules.rule(rule_id)
        assert rule.value == days
        assert (
            rule.cite().startswith("Приказ Минздрава России от 28.10.2022 № 709н")
            and "(пункт не сверен)" in rule.cite()
        )
        assert "mediator-med.ru" in rule.sources[0].url
    monthly = rules.rule("review_cac").sources[1]
    assert monthly.verified and "последний вторник месяца" in (monthly.quote or "")
