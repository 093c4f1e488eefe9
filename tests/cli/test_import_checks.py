"""`frmr import` checks every row before writing anything, and answers a bad export in Russian
with exit code 2: no traceback, none of the rows' values (diploma numbers) in the answer, and
the target store left empty. Dates follow model.rules.dates' one range rule, as typed input does.
The `frmr` command group runs in-process (tests/cli/test_cli.py's Frmr: each call its own
Context, settings and store) on real files and real stores; what it prints and exits with is
the subject here, not the process (test_cli.py runs the installed command)."""

from __future__ import annotations

import copy
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from frmr.model.store.locations import database_path
from tests.cli.test_cli import Frmr

DIPLOMA = "1077180654321"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One export for the module: each test edits a deep copy and imports it into a home of
    its own."""
    tmp_path = tmp_path_factory.mktemp("export")
    frmr = Frmr(tmp_path / "home", tmp_path / "config.toml")
    frmr("profile", "set", "last_name", "Иванова")
    frmr("profile", "set", "birth_date", "12.04.1985")
    frmr(
        "portfolio", "add", "employment", "organization=ГБУЗ ГКБ № 1",
        "position=Врач-терапевт", "position_type=main", "begin_date=01.09.2015",
    )  # fmt: skip
    frmr(
        "portfolio", "add", "courses", "theme=Терапия", "kind=dpp_pk", "specialty=Терапия",
        "institution=РМАНПО", "hours=144", "begin_date=01.03.2024", "end_date=30.03.2024",
        f"doc_number={DIPLOMA}",
    )  # fmt: skip
    path = tmp_path / "export.json"
    frmr("export", str(path))
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _import(tmp_path: Path, data: dict[str, Any]) -> tuple[Frmr, Any]:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    other = Frmr(tmp_path / "home2", tmp_path / "config.toml")
    return other, other("import", str(path), ok=False)


def _rows(home: Path, table: str) -> int:
    with closing(sqlite3.connect(database_path(home))) as conn:
        count: int = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


def _table(data: dict[str, Any], suffix: str) -> str:
    [name] = [n for n in data["tables"] if n.endswith(suffix)]
    return name


def test_a_duplicated_row_is_refused_in_russian_and_nothing_is_written(
    tmp_path: Path, export: dict[str, Any]
) -> None:
    data = copy.deepcopy(export)
    courses = _table(data, "course")
    data["tables"][courses].append(copy.deepcopy(data["tables"][courses][0]))
    _other, ran = _import(tmp_path, data)
    assert ran.returncode == 2, ran.stderr
    assert "Traceback" not in ran.stderr and "INSERT" not in ran.stderr
    assert "повторяет запись 1" in ran.stderr
    assert DIPLOMA not in ran.stderr
    assert _rows(tmp_path / "home2", courses) == 0
    assert _rows(tmp_path / "home2", _table(data, "employment")) == 0


@pytest.mark.parametrize(
    ("suffix", "field", "value"),
    [
        ("person", "birth_date", "1800-01-01"),
        ("person", "birth_date", "2099-01-01"),
        ("employment", "begin_date", "1800-01-01"),
        ("course", "begin_date", "2099-01-01"),
        ("course", "end_date", "2099-01-01"),
    ],
)
def test_an_implausible_date_in_an_export_is_refused(
    tmp_path: Path, export: dict[str, Any], suffix: str, field: str, value: str
) -> None:
    data = copy.deepcopy(export)
    table = _table(data, suffix)
    data["tables"][table][0][field] = value
    _other, ran = _import(tmp_path, data)
    assert ran.returncode == 2, ran.stderr
    assert "Traceback" not in ran.stderr
    assert "ничего не записано" in ran.stderr
    assert _rows(tmp_path / "home2", table) == 0


@pytest.mark.parametrize("date", ["01.01.1800", "01.01.2099"])
def test_the_cli_refuses_an_implausible_begin_date(tmp_path: Path, date: str) -> None:
    frmr = Frmr(tmp_path / "home", tmp_path / "config.toml")
    ran = frmr(
        "portfolio", "add", "employment", "organization=ГБУЗ ГКБ № 1",
        "position=Врач-терапевт", "position_type=main", f"begin_date={date}", ok=False,
    )  # fmt: skip
    assert ran.returncode == 2, ran.stderr
    assert "Дата" in ran.stderr and "Traceback" not in ran.stderr
    assert frmr.json("portfolio", "list", "employment") == []
