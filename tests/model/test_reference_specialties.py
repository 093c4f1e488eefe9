"""The specialties book: complete by name, local codes marked, NSI exports loadable."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from frmr.model.rules.errors import FieldInvalid, NotFound
from frmr.model.store.reference import (
    bundled_specialties,
    install_specialties,
    load_specialties,
    parse_nsi_export,
)


@pytest.mark.parametrize(
    "name",
    [
        "Стоматология",
        "Управление сестринской деятельностью",
        "Фармация",
        "Управление и экономика фармации",
        "Фармацевтическая технология",
        "Фармацевтическая химия и фармакогнозия",
        "Медицинская биохимия",
        "Медицинская биофизика",
        "Медицинская кибернетика",
        "Общая гигиена",
        "Физическая и реабилитационная медицина",
        "Медико-профилактическое дело",
        "Организация сестринского дела",
        "Лабораторное дело",
        "Медицинская оптика",
        "Гигиена и санитария",
    ],
)
def test_specialties_the_issue_found_missing_are_there(name: str) -> None:
    book = bundled_specialties()
    assert [i.name for i in book.items].count(name) >= 1
    for item in (i for i in book.items if i.name == name):
        assert item.level is not None and book.find(name, item.level) == item


def test_bundled_codes_are_marked_local_and_unique() -> None:
    book = bundled_specialties()
    assert not any(i.nsi for i in book.items)
    assert len({i.code for i in book.items}) == len(book.items)
    # Codes stored in applications before this list grew keep their meaning.
    assert book.find("75").name == "Терапия"


@pytest.mark.parametrize("name", ["Лечебное дело", "Сестринское дело"])
def test_a_name_at_both_levels_exists_at_both_and_is_never_guessed(name: str) -> None:
    book = bundled_specialties()
    higher, secondary = book.find(name, "higher"), book.find(name, "secondary")
    assert (higher.level, secondary.level) == ("higher", "secondary")
    assert higher.code != secondary.code
    with pytest.raises(FieldInvalid, match="at both levels") as err:
        book.find(name)
    assert "укажите уровень" in err.value.user_message
    # A list shows the level beside such a name, and its label finds the one meant.
    assert book.find(book.label(secondary)) == secondary
    assert f"{name} (среднее)" in book.labels() and name not in book.labels()
    # The code alone is never ambiguous.
    assert book.find(secondary.code) == secondary


def test_a_level_the_specialty_does_not_have_is_refused() -> None:
    with pytest.raises(FieldInvalid, match="has no item at level"):
        bundled_specialties().find("Терапия", "secondary")


NSI_JSON_LIST = [{"ID": "1066-7", "NAME": "Терапия"}, {"ID": "1066-8", "NAME": "Стоматология"}]
NSI_REST = {
    "result": "OK",
    "list": [
        [{"column": "ID", "value": "31"}, {"column": "NAME", "value": "Кардиология"}],
        [{"column": "ID", "value": "76"}, {"column": "NAME", "value": "Терапия"}],
    ],
}
NSI_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><data><row><ID>12</ID><NAME>Неврология</NAME></row>'
    "<row><ID>13</ID><NAME>Педиатрия</NAME></row></data>"
)
NSI_CSV = "ID;NAME;PARENT\n5;Хирургия;\n6;Сестринское дело;\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (json.dumps(NSI_JSON_LIST).encode(), {"1066-7": "Терапия", "1066-8": "Стоматология"}),
        (json.dumps(NSI_REST, ensure_ascii=False).encode(), {"31": "Кардиология", "76": "Терапия"}),
        (NSI_XML.encode(), {"12": "Неврология", "13": "Педиатрия"}),
        (NSI_CSV.encode("cp1251"), {"5": "Хирургия", "6": "Сестринское дело"}),
        (
            ("\ufeff" + NSI_CSV.replace(";", ",")).encode(),
            {"5": "Хирургия", "6": "Сестринское дело"},
        ),
    ],
    ids=["json-list", "rest-answer", "xml", "csv-cp1251", "csv-utf8-bom"],
)
def test_nsi_exports_are_read(data: bytes, expected: dict[str, str]) -> None:
    book = parse_nsi_export(data, bundled_specialties())
    assert {i.code: i.name for i in book.items} == expected
    assert all(i.nsi for i in book.items)


def test_loading_replaces_the_bundled_list_privately(tmp_path: Path) -> None:
    home = tmp_path / "home"
    book = parse_nsi_export(json.dumps(NSI_REST).encode(), bundled_specialties())
    target = install_specialties(home, book)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    loaded = load_specialties(home)
    assert loaded.find("Терапия").code == "76" and loaded.find("Терапия").level == "higher"
    with pytest.raises(NotFound) as err:
        loaded.find("Хирургия")
    assert "не найдена" in err.value.user_message


def test_a_file_that_is_no_export_is_refused_in_russian() -> None:
    with pytest.raises(FieldInvalid) as err:
        parse_nsi_export(b'{"foo": 1}', bundled_specialties())
    assert "ни одной записи" in err.value.user_message


def test_the_bundled_nomenclature_counts_and_its_official_codes() -> None:
    book = bundled_specialties()
    higher = [i for i in book.items if i.level == "higher"]
    secondary = [i for i in book.items if i.level == "secondary"]
    # V021 lists 101 higher specialties (94 of 2015 + 7 of 2017); the bundled list adds
    # the three the mapping it was read from does not show.
    assert sum(i.v021 is not None for i in higher) == 101
    assert {i.name for i in higher if i.v021 is None} == {
        "Лабораторная микология",
        "Стоматология",
        "Физическая и реабилитационная медицина",
    }
    assert len(secondary) == 35
    codes = {(i.name, i.level): (i.v021, i.nsi_1066) for i in book.items}
    assert codes[("Терапия", "higher")] == ("76", ("27",))
    assert codes[("Сестринское дело", "higher")] == ("100", ("5",))
    assert codes[("Сестринское дело", "secondary")] == ("219", ("219",))
    assert codes[("Лечебное дело", "secondary")] == ("206", ("206",))
    # Shown by no copy found, placed by the classifier's order, and marked so.
    assert book.find("Лечебное дело", "higher").v021_inferred
    assert {i.name for i in book.items if i.v021_inferred} == {
        "Остеопатия",
        "Радиотерапия",
        "Лечебное дело",
    }
