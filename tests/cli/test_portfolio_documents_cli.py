"""`frmr portfolio … additional-documents`: the portfolio's additional documents from the
command line — a library file named as the portal wants it, listed by its file name,
carried by every application, and refused in Russian when the file or the value is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import Frmr
from tests.samples import make_pdf

SECTION = "additional-documents"
NAME = "Иванова М.П. трудовая книжка на 3 л."


@pytest.fixture
def frmr(tmp_path: Path) -> Frmr:
    return Frmr(tmp_path / "home", tmp_path / "config.toml")


def _library_file(frmr: Frmr, tmp_path: Path) -> dict[str, str]:
    frmr("documents", "add", str(make_pdf(tmp_path / "трудовая книжка.pdf", 3000)))
    (document,) = frmr.json("documents", "list")  # type: ignore[misc]
    return document  # type: ignore[no-any-return]


def test_an_item_is_added_listed_carried_edited_and_removed(frmr: Frmr, tmp_path: Path) -> None:
    document = _library_file(frmr, tmp_path)
    item_id = frmr(
        "portfolio", "add", SECTION, f"name={NAME}", "part=professional",
        f"document_id={document['id'][:8]}",
    ).stdout.strip()  # fmt: skip
    listed = frmr("portfolio", "list", SECTION).stdout
    assert f"Название: {NAME}" in listed
    assert "Часть портфолио: Профессиональная" in listed
    assert "Документ: трудовая книжка.pdf" in listed
    (row,) = frmr.json("portfolio", "list", SECTION)  # type: ignore[misc]
    assert row == {
        "id": item_id,
        "name": NAME,
        "part": "professional",
        "document_id": document["id"],
        "version": 1,
    }

    app_id = frmr(
        "apps", "new", "--specialty", "Терапия", "--phone", "9123456789", "--email", "a@b.ru"
    ).stdout.strip()
    shown = frmr("apps", "show", app_id).stdout
    assert f"Профессиональная часть: {NAME} — файл трудовая книжка.pdf" in shown
    (app,) = frmr.json("apps", "list")  # type: ignore[misc]
    (carried,) = app["portfolio"]["additional_documents"]
    assert (carried["id"], carried["document"]["sha256"]) == (item_id, document["sha256"])

    frmr("portfolio", "edit", SECTION, item_id, "part=Образовательная")
    (row,) = frmr.json("portfolio", "list", SECTION)  # type: ignore[misc]
    assert row["part"] == "educational"
    assert frmr("portfolio", "remove", SECTION, item_id).stdout.strip() == "Удалено"
    assert frmr.json("portfolio", "list", SECTION) == []


def test_a_file_not_in_the_library_is_refused_in_russian(frmr: Frmr) -> None:
    refused = frmr(
        "portfolio", "add", SECTION, f"name={NAME}", "part=professional", "document_id=deadbeef",
        ok=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "Документа «deadbeef» нет в библиотеке" in refused.stderr
    assert frmr.json("portfolio", "list", SECTION) == []


def test_a_part_that_does_not_exist_names_the_two_parts(frmr: Frmr, tmp_path: Path) -> None:
    document = _library_file(frmr, tmp_path)
    refused = frmr(
        "portfolio", "add", SECTION, f"name={NAME}", "part=третья",
        f"document_id={document['id']}", ok=False,
    )  # fmt: skip
    assert refused.returncode == 2
    assert "«Профессиональная», «Образовательная»" in refused.stderr


def test_fields_say_where_the_document_number_comes_from(frmr: Frmr) -> None:
    fields = frmr("portfolio", "fields", SECTION).stdout
    assert "document_id      Документ (обязательно) — номер из «frmr documents list»" in fields


def test_export_and_import_keep_the_items(frmr: Frmr, tmp_path: Path) -> None:
    document = _library_file(frmr, tmp_path)
    frmr(
        "portfolio", "add", SECTION, f"name={NAME}", "part=educational",
        f"document_id={document['id']}",
    )  # fmt: skip
    export, files = tmp_path / "export.json", tmp_path / "files"
    frmr("export", str(export), "--with-files", str(files))
    other = Frmr(tmp_path / "home2", tmp_path / "config.toml")
    other("import", str(export), "--files", str(files))
    assert other.json("portfolio", "list", SECTION) == frmr.json("portfolio", "list", SECTION)


def test_the_portal_sheet_lists_them_under_the_portfolio(frmr: Frmr, tmp_path: Path) -> None:
    document = _library_file(frmr, tmp_path)
    frmr(
        "portfolio", "add", SECTION, f"name={NAME}", "part=professional",
        f"document_id={document['id']}",
    )  # fmt: skip
    app_id = frmr(
        "apps", "new", "--specialty", "Терапия", "--phone", "9123456789", "--email", "a@b.ru"
    ).stdout.strip()
    target = tmp_path / "подача"
    frmr("apps", "package", app_id, str(target))
    sheet = (target / "ПОДАЧА.txt").read_text()
    line = f"— профессиональная часть: «{NAME}» (файл «трудовая книжка.pdf»)"
    assert sheet.index("7. Портфолио") < sheet.index(line) < sheet.index("8. Согласование")
