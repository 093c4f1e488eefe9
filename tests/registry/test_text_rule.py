"""The registry applies model.rules.text's rule to every free-text field, and its CLI prints no
stored value raw to a terminal."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import select

from frmr.contract.protocol import Paths
from frmr.registry.db import Database, make_engine, prepare_database
from frmr.registry.employees import NewEmployee, add_employee
from frmr.registry.settings import RegistrySettings
from frmr.registry.tables import Employee

ESCAPE = "\x1b]0;pwned\x07Иванова\x1b[2J"


def _put_card(person, **changes: object):  # type: ignore[no-untyped-def]
    got = person.client.get(Paths.ME)
    return person.client.put(
        Paths.ME, json={**got.json(), **changes}, headers={"If-Match": got.headers["ETag"]}
    )


@pytest.mark.parametrize(
    "value", [ESCAPE, "\u200b", "Иванова\u202e", "Ива\nнова", "Иванова\x07", "я" * 101]
)
def test_card_text_is_refused_with_the_rule_s_reason(make_person, value: str) -> None:  # type: ignore[no-untyped-def]
    answer = _put_card(make_person(), last_name=value)
    assert answer.status_code == 422, answer.text
    problem = answer.json()["details"]["problems"][0]
    assert problem["loc"][-1] == "last_name"
    assert problem["message"].startswith("last_name: ")


def test_multi_line_fields_take_a_newline_and_refuse_2001_characters(make_person) -> None:  # type: ignore[no-untyped-def]
    person = make_person()
    ok = person.client.put(
        Paths.COLLECTION_ITEM.format(collection="skills", id=str(uuid.uuid4())),
        json={"name": "Навык", "description": "строка 1\nстрока 2"},
        headers={"If-None-Match": "*"},
    )
    assert ok.status_code in (200, 201), ok.text
    body = {
        "id": str(uuid.uuid4()),
        "kind": "periodic",
        "specialty_code": "31.08.49",
        "specialty_name": "Терапия",
        "education_level": "Высшее",
        "phone": person.phone,
        "email": person.email,
        "report_agreed": True,
        "comment": "я" * 2001,
    }
    long = person.client.post(
        Paths.APPLICATIONS, json=body, headers={"Idempotency-Key": body["id"]}
    )
    assert long.status_code == 422
    assert "2000" in long.json()["details"]["problems"][0]["message"]


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def _registry_cli(*args: str) -> Ran:
    """The operator's command in-process: what is checked is what it prints, as a process
    would print it (click keeps stdout and stderr apart)."""
    from frmr.registry.cli import main

    result = CliRunner().invoke(main, args, prog_name="frmr-registry")
    return Ran(result.exit_code, result.stdout, result.stderr)


def test_employee_add_refuses_control_characters(tmp_path: Path) -> None:
    db = str(tmp_path / "r.db")
    added = _registry_cli(
        "employee", "add", "--db", db, "--snils", "112-233-445 95",
        "--last-name", ESCAPE, "--first-name", "Анна", "--organization", "ГКБ № 1",
    )  # fmt: skip
    assert added.returncode != 0
    assert "недопустимый управляющий символ" in added.stderr
    assert "\x1b" not in added.stderr


def test_employee_list_escapes_a_value_stored_before_the_rule(tmp_path: Path) -> None:
    """A registry filled by an older version may hold anything: the list still prints it safe."""
    db_path = tmp_path / "r.db"
    assert _registry_cli("seed-demo", "--db", str(db_path)).returncode == 0
    db = Database(make_engine(f"sqlite:///{db_path}"))
    with db.write() as session:
        employee = session.exec(select(Employee)).one()
        employee.card = {**employee.card, "last_name": ESCAPE + "\u202e"}
        flag_modified(employee, "card")
        employee.organization = "Орг\x9b2J"
    db.engine.dispose()
    listed = _registry_cli("employee", "list", "--db", str(db_path))
    assert listed.returncode == 0, listed.stderr
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in listed.stdout
    assert "\\x1b]0;pwned\\x07Иванова\\x1b[2J\\u202e" in listed.stdout
    assert "Орг\\u009b2J" in listed.stdout


def test_a_valid_employee_is_entered(tmp_path: Path) -> None:
    db = prepare_database(RegistrySettings(db_url=f"sqlite:///{tmp_path / 'r.db'}"))
    with db.write() as session:
        added = add_employee(
            session, NewEmployee("11223344595", "  Иванова ", "Анна", "ГКБ   № 1"), "pw"
        )
        assert added.card["last_name"] == "Иванова" and added.organization == "ГКБ № 1"
    db.engine.dispose()
