"""The documents checklist: guessed from file names, tagged by the worker, per route."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from frmr.model.documents.library import import_file
from frmr.model.portfolio.edits import add_row
from frmr.model.readiness.checklist import checklist, guess_item
from frmr.model.readiness.from_store import readiness, tag_document
from frmr.model.rules.errors import FieldInvalid
from frmr.model.store.account import Account
from tests.samples import make_pdf


@pytest.mark.parametrize(
    ("file_name", "item"),
    [
        ("Смирнов А.В. паспорт на 2 л.pdf", "identity"),
        ("Смирнов А.В. трудовая книжка на 3 л.pdf", "employment"),
        ("Смирнов А.В. сертификат специалиста терапия.pdf", "accreditation"),
        ("выписка из протокола ЦАК.pdf", "accreditation"),
        ("сертификат НМО конференция.pdf", "training"),
        ("удостоверение о повышении квалификации.pdf", "training"),
        ("Диплом и приложение.pdf", "diploma"),
        ("Отчёт о профессиональной деятельности.pdf", "report"),
        ("диплом о профессиональной переподготовке.pdf", "retraining"),
        ("scan0001.pdf", None),
    ],
)
def test_items_are_guessed_from_file_names(file_name: str, item: str | None) -> None:
    assert guess_item(file_name) == item


def test_a_tag_beats_the_guess_and_routes_need_different_items() -> None:
    periodic = checklist("periodic", [("scan0001.pdf", "report"), ("паспорт.pdf", None)])
    covered = {line.item.id for line in periodic if line.covered}
    assert covered == {"report", "identity"}
    assert {line.item.id for line in periodic} >= {"report", "training", "employment"}
    primary = {line.item.id for line in checklist("primary", [])}
    assert primary == {"identity", "diploma", "retraining"}


def test_missing_documents_are_found_and_tagging_a_file_covers_its_item(
    account: Account, tmp_path: Path
) -> None:
    add_row(
        account,
        "certificates",
        {
            "number": "1",
            "kind": "accreditation",
            "specialty_name": "Терапия",
            "pass_date": "01.03.2022",
            "end_date": "01.03.2027",
        },
    )
    scan = import_file(account, make_pdf(tmp_path / "scan0001.pdf")).document
    (verdict,) = readiness(account, "Терапия", date(2026, 12, 1))
    # The passport is on the published list of documents: it blocks. The report's scan is
    # not (the report itself is part of the portfolio): an оговорка.
    missing = next(f for f in verdict.findings if f.code == "documents_missing")
    assert missing.blocking and "паспорт" in missing.detail
    extra = next(f for f in verdict.findings if f.code == "documents_extra_missing")
    assert not extra.blocking and "отчёт" in extra.detail
    tag_document(account, scan.id, "report")
    (verdict,) = readiness(account, "Терапия", date(2026, 12, 1))
    report = next(line for line in verdict.checklist if line.item.id == "report")
    assert report.files == ("scan0001.pdf",)
    extra = next(f for f in verdict.findings if f.code == "documents_extra_missing")
    assert "отчёт" not in extra.detail
    with pytest.raises(FieldInvalid):
        tag_document(account, scan.id, "horoscope")
