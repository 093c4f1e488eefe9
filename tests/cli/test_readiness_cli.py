"""`frmr readiness` and `frmr rules`: the verdicts, their JSON and the exit codes."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from frmr.cli.main import cli
from tests.samples import listed_scans
from tests.support.cli_imports import heavy_modules_loaded


class Cli:
    def __init__(self, tmp_path: Path, **env: str) -> None:
        self.env = {
            "FRMR_HOME": str(tmp_path / "home"),
            "FRMR_CONFIG": str(tmp_path / "config.toml"),
            **env,
        }

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = CliRunner(env=self.env).invoke(cli, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str, code: int = 0) -> Any:
        return json.loads(self(*args, "--json", code=code).stdout)


def _d(d: date) -> str:
    return f"{d:%d.%m.%Y}"


@pytest.fixture
def frmr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
    run = Cli(tmp_path)
    today = date.today()
    run(
        "portfolio",
        "add",
        "employment",
        "organization=ГКБ № 1",
        "position=Врач-терапевт",
        "position_type=main",
        "begin_date=01.09.2015",
    )
    run("report", "set", "organization=ГКБ № 1", "variant=agreed")
    # Терапия expires in 90 days (its window is open); Кардиология in three years (not yet).
    for number, specialty, expires in (
        ("1", "Терапия", today + timedelta(days=90)),
        ("2", "Кардиология", today + timedelta(days=3 * 365)),
    ):
        run(
            "portfolio",
            "add",
            "certificates",
            f"number={number}",
            "kind=accreditation",
            f"specialty_name={specialty}",
            f"pass_date={_d(expires - timedelta(days=1826))}",
            f"end_date={_d(expires)}",
        )
    run(
        "portfolio",
        "add",
        "courses",
        "theme=ПК",
        "kind=dpp_pk",
        "specialty=Терапия",
        "institution=РМАНПО",
        "hours=74",
        f"begin_date={_d(today - timedelta(days=400))}",
        f"end_date={_d(today - timedelta(days=390))}",
        "doc_number=772400012345",
    )
    run(
        "portfolio",
        "add",
        "courses",
        "theme=Конференция",
        "kind=nmo_event",
        "specialty=Терапия",
        "institution=РОТ",
        "hours=50",
        f"begin_date={_d(today - timedelta(days=100))}",
        "doc_number=НМО-1",
    )
    return run


def add_listed_scans(frmr: Cli) -> None:
    """The scans the list of documents names; the report's and the трудовая's stay missing."""
    folder = Path(frmr.env["FRMR_HOME"]).parent / "scans"
    frmr("documents", "add", *map(str, listed_scans(folder)))


def test_readiness_json_names_the_missing_hours_and_exits_1(frmr: Cli) -> None:
    add_listed_scans(frmr)
    data = frmr.json("readiness", code=1)
    assert data["version"] == 1 and data["ready"] is False and data["verdict"] == "not_ready"
    by = {s["specialty"]: s for s in data["specialties"]}
    assert set(by) == {"Терапия", "Кардиология"}
    therapy = by["Терапия"]
    assert therapy["window"]["state"] == "open" and therapy["window"]["days_left"] == 90
    assert therapy["hours"]["missing_nmo"] == 20 and therapy["hours"]["missing_pk"] == 0
    blocking = [f for f in therapy["findings"] if f["severity"] == "blocking"]
    assert [f["code"] for f in blocking] == ["hours_nmo_short"]
    assert blocking[0]["who"] == "worker"
    assert {line["id"] for line in therapy["checklist"]} >= {"identity", "report", "training"}
    assert by["Кардиология"]["window"]["state"] == "not_yet"
    assert date.fromisoformat(therapy["expected"]["decision_by"]) > date.today()


def test_closing_the_gap_turns_the_verdict_and_the_exit_code(frmr: Cli) -> None:
    add_listed_scans(frmr)
    frmr("readiness", "--specialty", "Терапия", code=1)
    frmr(
        "portfolio",
        "add",
        "courses",
        "theme=Модуль",
        "kind=НМО: интерактивный модуль",
        "specialty=Терапия",
        "institution=Портал НМО",
        "hours=20",
        f"begin_date={_d(date.today() - timedelta(days=10))}",
        "doc_number=ИОМ-7",
    )
    # Nothing blocks now; the files of the checklist are not there yet: an оговорка.
    out = frmr("readiness", "--specialty", "терапия", code=1).stdout
    assert "ГОТОВО С ОГОВОРКАМИ" in out and "144/144" in out
    assert "! оговорка: Не все документы приложены" in out


def test_forming_in_a_specialty_without_a_document_is_refused(frmr: Cli) -> None:
    frmr("apps", "new", "--specialty", "Неврология", "--phone", "9123456789", "--email", "a@b.ru")
    app_id = frmr.json("apps", "list")[0]["id"]
    refused = frmr("apps", "form", app_id, code=2)
    assert "Нет права на периодическую аккредитацию" in refused.stderr
    assert "кто: вы" in refused.stderr


def test_rules_print_every_source_and_the_chosen_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = Cli(tmp_path).json("rules")
    rules = {r["id"]: r for r in default["rules"]}
    assert rules["hours_pk_min"]["value"] == 72 and rules["hours_pk_min"]["chosen"] is None
    assert all(r["sources"] and r["sources"][0]["checked"] for r in default["rules"])
    chosen = Cli(tmp_path, FRMR_READINESS_PK_HOURS="74").json("rules")
    pk = next(r for r in chosen["rules"] if r["id"] == "hours_pk_min")
    assert pk["value"] == 74 and "74" in pk["chosen"]
    assert "16-7/И/2-12339" in pk["sources"][0]["title"]
    assert "16-7/И/2-12339" in pk["order"]["title"]
    # Each rule from law names its act; a paragraph not read is said to be so.
    assert "709н" in rules["hours_pk_min"]["order"]["title"]
    assert rules["right_to_work"]["order"]["paragraph"] == "ст. 69"
    text = Cli(tmp_path)("rules").stdout
    assert "Норма: Приказ Минздрава России от 28.10.2022 № 709н" in text
    assert "(пункт не сверен)" in text
    # A paragraph number only a page gives is shown with that page, never as read.
    documents = rules["documents"]["order"]
    assert documents["paragraph"] is None
    assert documents["paragraph_reported"]["paragraph"] == "пп. 89–90"
    assert "mi.khsu.ru" in documents["paragraph_reported"]["by"]["url"]
    assert "пп. 89–90 (номер пункта — по https://mi.khsu.ru/" in text
    assert "текст пункта не сверен" in text
    assert "Другое прочтение" in Cli(tmp_path)("rules").stdout


def test_the_position_is_compared_with_the_specialty_in_json_and_text(frmr: Cli) -> None:
    by = {s["specialty"]: s for s in frmr.json("readiness", code=1)["specialties"]}
    assert by["Терапия"]["position"] == {
        "held": ["Врач-терапевт"],
        "allowed": [
            "Врач-терапевт",
            "Врач-терапевт участковый",
            "Врач-терапевт подростковый",
            "Врач-терапевт участковый цехового врачебного участка",
        ],
        "compared": True,
        "matches": True,
        "days": (date.today() - date.fromisoformat(by["Терапия"]["period"]["start"])).days + 1,
        "last_day": date.today().isoformat(),
        # The list is our reading of the orders, not checked against their tables: said so.
        "list_verified": False,
    }
    cardiology = by["Кардиология"]
    assert cardiology["position"]["matches"] is False
    mismatch = [f for f in cardiology["findings"] if f["code"] == "no_experience_in_specialty"]
    assert mismatch[0]["severity"] == "blocking" and mismatch[0]["who"] == "employer"
    assert "206н" in mismatch[0]["source"]
    out = frmr("readiness", "--specialty", "Кардиология", code=1).stdout
    assert "Должность: Врач-терапевт — стажа по специальности нет (его дают: Врач-кардиолог)" in out
    assert "с таблицами приказов не сверен" in out


def test_a_dismissed_worker_is_told_and_the_report_fix_turns_the_verdict(frmr: Cli) -> None:
    job = frmr.json("portfolio", "list", "employment")[0]
    ended = date.today() - timedelta(days=30)
    frmr("portfolio", "edit", "employment", job["id"], f"end_date={_d(ended)}")
    therapy = frmr.json("readiness", "--specialty", "Терапия", code=1)["specialties"][0]
    assert therapy["dismissal"] == ended.isoformat()
    codes = {f["code"] for f in therapy["findings"] if f["severity"] == "blocking"}
    assert "dismissal_period_end" in codes
    finding = next(f for f in therapy["findings"] if f["code"] == "dismissal_period_end")
    assert finding["message"] == "Несогласованное портфолио"
    # The fix the finding names, as typed.
    frmr("report", "set", f"period_end={_d(ended)}", "variant=not_working")
    therapy = frmr.json("readiness", "--specialty", "Терапия", code=1)["specialties"][0]
    assert "dismissal_period_end" not in {f["code"] for f in therapy["findings"]}


def test_documents_tag_moves_a_file_between_checklist_items(frmr: Cli, tmp_path: Path) -> None:
    from tests.support.documents import text_pdf

    scan = tmp_path / "scan-0001.pdf"
    scan.write_bytes(text_pdf(["x"]))
    frmr("documents", "add", str(scan))
    doc_id = frmr.json("documents", "list")[0]["id"]

    def covered() -> dict[str, list[str]]:
        data = frmr.json("readiness", "--specialty", "Терапия", code=1)["specialties"][0]
        return {line["id"]: line["files"] for line in data["checklist"]}

    assert covered()["identity"] == []
    frmr("documents", "tag", doc_id, "identity")
    assert covered()["identity"] == ["scan-0001.pdf"]
    frmr("documents", "tag", doc_id)
    assert covered()["identity"] == []


def _varied(frmr: Cli, tmp_path: Path) -> None:
    """What the readiness reads beyond the fixture: an education, a dismissal with the
    report's period end typed, a draft in a specialty with no document, a tagged file."""
    from tests.support.documents import text_pdf

    frmr(
        "portfolio",
        "add",
        "education",
        "kind=postgraduate",
        "institution=РНИМУ",
        "specialty=Терапия",
        "graduation_year=2012",
    )
    job = frmr.json("portfolio", "list", "employment")[0]
    ended = date.today() - timedelta(days=30)
    frmr("portfolio", "edit", "employment", job["id"], f"end_date={_d(ended)}")
    frmr("report", "set", f"period_end={_d(ended)}", "variant=not_working")
    frmr("apps", "new", "--specialty", "Неврология", "--phone", "9123456789", "--email", "a@b.ru")
    scan = tmp_path / "паспорт.pdf"
    scan.write_bytes(text_pdf(["x"]))
    frmr("documents", "add", str(scan))
    frmr("documents", "tag", frmr.json("documents", "list")[0]["id"], "identity")


@pytest.mark.parametrize(
    ("env", "toml"),
    [({}, ""), ({"FRMR_READINESS_PK_HOURS": "74"}, ""), ({}, "readiness_window = '90d'\n")],
    ids=["defaults", "pk-74-from-env", "window-90d-from-toml"],
)
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_readiness_follows_the_readings_settings_give(
    frmr: Cli, tmp_path: Path, env: dict[str, str], toml: str, as_json: bool
) -> None:
    """`frmr readiness` reads the store through model.store.reads and the readings of the
    rules from Settings (the environment, then the TOML file)."""
    _varied(frmr, tmp_path)
    (tmp_path / "config.toml").write_text(toml, encoding="utf-8")
    run = Cli(tmp_path, **env)
    args = ("readiness", "--json") if as_json else ("readiness",)
    out = run(*args, code=1).stdout
    if not as_json:
        assert "Терапия" in out and "Кардиология" in out
        return
    by = {s["specialty"]: s for s in json.loads(out)["specialties"]}
    assert set(by) == {"Терапия", "Кардиология", "Неврология"}
    therapy = by["Терапия"]
    assert therapy["dismissal"] is not None
    assert therapy["hours"]["need_pk"] == (74 if "FRMR_READINESS_PK_HOURS" in env else 72)
    assert ["паспорт.pdf"] in [line["files"] for line in therapy["checklist"]]


def test_a_reading_settings_cannot_take_is_refused_in_russian(frmr: Cli, tmp_path: Path) -> None:
    result = Cli(tmp_path, FRMR_READINESS_PK_HOURS="73")("readiness", code=2)
    assert "Неверное значение настройки readiness_pk_hours" in result.stderr
    assert "FRMR_READINESS_PK_HOURS" in result.stderr


def test_readiness_of_a_current_store_loads_no_orm(frmr: Cli, tmp_path: Path) -> None:
    # Exit 1: the fixture's portfolio is not ready.
    assert heavy_modules_loaded([["readiness", "--json"]], exit_codes=(1,), env=frmr.env) == []


def _therapy_app(frmr: Cli, kind: str = "periodic") -> str:
    frmr(
        "apps", "new", "--kind", kind, "--specialty", "Терапия",
        "--phone", "9123456789", "--email", "a@b.ru",
    )  # fmt: skip
    return str(frmr.json("apps", "list")[0]["id"])


def _outcome(frmr: Cli, app_id: str, verdict: str, label: str) -> None:
    """The same verdict from `frmr readiness`, `--application` and the form check."""
    code = 0 if verdict == "ready" else 1
    data = frmr.json("readiness", "--specialty", "Терапия", code=code)
    assert data["verdict"] == verdict and data["specialties"][0]["verdict"] == verdict
    assert frmr.json("readiness", "--application", app_id, code=code)["verdict"] == verdict
    text = frmr("readiness", "--specialty", "Терапия", code=code).stdout
    assert text.startswith(f"Терапия — Периодическая аккредитация: {label.upper()}\n")
    checked = frmr("apps", "check", app_id, code=code).stdout
    assert checked.startswith(f"Готовность: {label}\n")


def test_not_ready_is_the_same_verdict_in_readiness_and_the_form_check(frmr: Cli) -> None:
    app_id = _therapy_app(frmr)
    _outcome(frmr, app_id, "not_ready", "Не готово")
    assert "✗ Недостаточно часов НМО" in frmr("apps", "check", app_id, code=1).stdout
    assert "Недостаточно часов НМО" in frmr("apps", "form", app_id, code=2).stderr


def _close_the_gap(frmr: Cli) -> None:
    frmr(
        "portfolio", "add", "courses", "theme=Модуль", "kind=nmo_module", "specialty=Терапия",
        "institution=Портал НМО", "hours=22",
        f"begin_date={_d(date.today() - timedelta(days=10))}", "doc_number=ИОМ-7",
    )  # fmt: skip


def test_without_the_listed_scans_the_form_check_refuses_naming_them(frmr: Cli) -> None:
    """Hours and стаж in order, but no passport, diploma or удостоверение in the library:
    an incomplete set of documents is a reason the commission refuses, so forming is too."""
    app_id = _therapy_app(frmr)
    _close_the_gap(frmr)
    _outcome(frmr, app_id, "not_ready", "Не готово")
    refused = frmr("apps", "form", app_id, code=2).stderr
    assert "Не хватает документов к заявлению" in refused
    assert "паспорт" in refused and "диплом" in refused and "frmr documents tag" in refused
    add_listed_scans(frmr)
    _outcome(frmr, app_id, "ready_with_caveats", "Готово с оговорками")


def test_ready_with_caveats_names_each_caveat_and_forms(frmr: Cli) -> None:
    app_id = _therapy_app(frmr)
    _close_the_gap(frmr)
    add_listed_scans(frmr)
    _outcome(frmr, app_id, "ready_with_caveats", "Готово с оговорками")
    checked = frmr("apps", "check", app_id, code=1).stdout
    assert "! Оговорка: Не все документы приложены" in checked and "Правило: " in checked
    formed = frmr("apps", "form", app_id).stdout
    assert "Статус: Сформировано" in formed and "Готовность: Готово с оговорками" in formed


def test_ready_exits_0_everywhere(frmr: Cli, tmp_path: Path) -> None:
    from tests.support.documents import text_pdf

    app_id = _therapy_app(frmr)
    _close_the_gap(frmr)
    for i, name in enumerate(
        ("паспорт", "выписка об аккредитации", "диплом", "удостоверение ПК", "отчет", "трудовая")
    ):
        scan = tmp_path / f"Иванова {name}.pdf"
        scan.write_bytes(text_pdf([f"scan {i}"]))
        frmr("documents", "add", str(scan))
    _outcome(frmr, app_id, "ready", "Готово")


def test_readiness_of_an_application_follows_its_kind(frmr: Cli) -> None:
    # Терапия holds an accreditation, so on its own it is evaluated for periodic.
    alone = frmr.json("readiness", "--specialty", "Терапия", code=1)["specialties"][0]
    assert alone["route"] == "periodic"
    app_id = _therapy_app(frmr, kind="primary")
    asked = frmr.json("readiness", "--application", app_id, code=1)["specialties"][0]
    assert asked["route"] == "primary" and asked["specialty"] == "Терапия"
    assert "no_primary_basis" in {f["code"] for f in asked["findings"]}
    assert "Первичная" in frmr("readiness", "--application", app_id, code=1).stdout
