"""`frmr` end to end: a temporary FRMR_HOME, real files, the commands run in-process through
click's CliRunner (each call its own Context, settings and store, as a process would have);
the installed command itself runs in test_the_installed_command_refuses_with_exit_2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from frmr.cli.main import cli
from tests.samples import ELF_HEAD, listed_scans, make_file, make_pdf

FRMR = shutil.which("frmr") or str(Path(sys.executable).with_name("frmr"))


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


class Frmr:
    def __init__(self, home: Path, config: Path, *, in_process: bool = True) -> None:
        self.env = {"FRMR_HOME": str(home), "FRMR_CONFIG": str(config)}
        self.in_process = in_process

    def __call__(self, *args: str, ok: bool = True, stdin: str | None = None) -> Ran:
        if self.in_process:
            result = CliRunner(env={**self.env, "FRMR_REGISTRY_URL": None}).invoke(
                cli, args, input=stdin, prog_name="frmr", catch_exceptions=False
            )
            ran = Ran(result.exit_code, result.stdout, result.stderr)
        else:
            env = {**os.environ, **self.env}
            env.pop("FRMR_REGISTRY_URL", None)
            done = subprocess.run(
                [FRMR, *args], env=env, capture_output=True, text=True, input=stdin, timeout=60
            )
            ran = Ran(done.returncode, done.stdout, done.stderr)
        if ok:
            assert ran.returncode == 0, ran.stderr
        return ran

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def frmr(tmp_path: Path) -> Frmr:
    return Frmr(tmp_path / "home", tmp_path / "config.toml")


def _fill_portfolio(frmr: Frmr) -> None:
    frmr(
        "portfolio",
        "add",
        "employment",
        "organization=ГБУЗ ГКБ № 1",
        "position=Врач-терапевт",
        "position_type=main",
        "begin_date=01.09.2015",
    )
    frmr(
        "portfolio",
        "add",
        "courses",
        "theme=Терапия",
        "kind=dpp_pk",
        "specialty=Терапия",
        "institution=РМАНПО",
        "hours=144",
        "begin_date=01.03.2024",
        "end_date=30.03.2024",
        "doc_number=772400012345",
    )
    # The window is open whatever day the suite runs: the accreditation expires in half a year.
    expires = date.today() + timedelta(days=180)
    frmr(
        "portfolio",
        "add",
        "certificates",
        "number=7722 031234567",
        "kind=accreditation",
        "specialty_name=Терапия",
        f"pass_date={expires - timedelta(days=5 * 365):%d.%m.%Y}",
        f"end_date={expires:%d.%m.%Y}",
    )
    frmr("report", "set", "variant=agreed")
    # The scans the list of documents names: without them the portfolio is «Не готово».
    home = Path(frmr.env["FRMR_HOME"])
    frmr("documents", "add", *map(str, listed_scans(home.parent / "scans")))


def test_the_installed_command_refuses_with_exit_2(tmp_path: Path) -> None:
    frmr = Frmr(tmp_path / "home", tmp_path / "config.toml", in_process=False)
    bad = frmr("profile", "set", "snils", "112-233-445 96", ok=False)
    assert bad.returncode == 2
    assert bad.stderr.startswith("Ошибка: Неверное контрольное число СНИЛС")
    frmr("apps", "new", "--specialty", "Терапия", "--phone", "9123456789", "--email", "a@b.ru")
    (listed,) = frmr.json("apps", "list")  # type: ignore[misc]
    assert listed["status"] == "draft"


def test_wrong_snils_is_refused_in_russian_with_exit_2_and_nothing_saved(frmr: Frmr) -> None:
    bad = frmr("profile", "set", "snils", "112-233-445 96", ok=False)
    assert bad.returncode == 2
    assert "контрольное число СНИЛС" in bad.stderr
    assert frmr.json("profile", "show")["snils"] is None  # type: ignore[index]
    frmr("profile", "set", "snils", "112-233-445 95")
    assert frmr.json("profile", "show")["snils"] == "11223344595"  # type: ignore[index]


def test_a_new_user_creates_attaches_and_forms_an_application(frmr: Frmr, tmp_path: Path) -> None:
    _fill_portfolio(frmr)
    app_id = frmr(
        "apps",
        "new",
        "--kind",
        "periodic",
        "--specialty",
        "Терапия",
        "--phone",
        "8 912 345 67 89",
        "--email",
        "doc@example.ru",
    ).stdout.strip()
    scans = [make_pdf(tmp_path / f"scan{i}.pdf", 4096) for i in range(6)]
    frmr("apps", "attach", app_id, *map(str, scans[:5]))
    sixth = frmr("apps", "attach", app_id, str(scans[5]), ok=False)
    assert sixth.returncode == 2
    assert "Ошибка валидации" in sixth.stderr
    fake = make_file(tmp_path / "virus.pdf", ELF_HEAD, 100)
    wrong_type = frmr("apps", "attach", app_id, str(fake), ok=False)
    assert wrong_type.returncode == 2 and "PDF, JPEG и PNG" in wrong_type.stderr
    empty = tmp_path / "empty.pdf"
    empty.touch()
    assert "пустой" in frmr("apps", "attach", app_id, str(empty), ok=False).stderr

    assert "Сформировано" in frmr("apps", "form", app_id).stdout
    assert "В очереди на отправку" in frmr("apps", "submit", app_id).stdout
    (listed,) = frmr.json("apps", "list")  # type: ignore[misc]
    assert listed["id"] == app_id
    assert listed["status"] == "queued"
    assert listed["specialty"]["name"] == "Терапия"
    assert len(listed["attachments"]) == 5
    assert Path(listed["folder"]).is_dir()
    history = frmr.json("apps", "history", app_id)
    assert [h["to"] for h in history] == ["draft", "formed", "queued"]  # type: ignore[union-attr]


def test_forming_without_a_portfolio_lists_problems_and_fixes(frmr: Frmr) -> None:
    app_id = frmr(
        "apps", "new", "--specialty", "76", "--phone", "9123456789", "--email", "a@b.ru"
    ).stdout.strip()
    result = frmr("apps", "form", app_id, ok=False)
    assert result.returncode == 2
    assert "Отсутствуют сведения об организации" in result.stderr
    assert "Что сделать" in result.stderr


def test_specialties_lists_codes_and_names(frmr: Frmr) -> None:
    items = frmr.json("specialties")
    assert isinstance(items, list)
    therapy = next(i for i in items if i["name"] == "Терапия")
    assert therapy == {
        "code": "75",
        "name": "Терапия",
        "level": "higher",
        "nsi": False,
        "label": "Терапия",
        "oid": "1.2.643.5.1.13.13.11.1066",
        "v021": "76",
        "v021_inferred": False,
        "nsi_1066": ["27"],
    }
    labels = {i["label"] for i in items if i["name"] == "Лечебное дело"}
    assert labels == {"Лечебное дело (высшее)", "Лечебное дело (среднее)"}


def test_specialties_summary_counts_both_nomenclatures(frmr: Frmr) -> None:
    figures = frmr.json("specialties", "--summary")
    assert isinstance(figures, dict)
    assert (figures["higher"], figures["secondary"], figures["total"]) == (104, 35, 139)
    assert {"Лечебное дело", "Сестринское дело"} <= set(figures["at_both_levels"])
    text = frmr("specialties", "--summary").stdout
    assert "высшее образование: 104" in text and "среднее образование: 35" in text


def test_export_then_import_into_an_empty_store_loses_nothing(frmr: Frmr, tmp_path: Path) -> None:
    frmr("profile", "set", "last_name", "Иванова")
    frmr("profile", "set", "snils", "112-233-445 95")
    _fill_portfolio(frmr)
    app_id = frmr(
        "apps", "new", "--specialty", "Терапия", "--phone", "9123456789", "--email", "a@b.ru"
    ).stdout.strip()
    frmr("apps", "attach", app_id, str(make_pdf(tmp_path / "d.pdf", 3000)))
    frmr("apps", "form", app_id)
    export = tmp_path / "export.json"
    files = tmp_path / "files"
    frmr("export", str(export), "--with-files", str(files))

    other = Frmr(tmp_path / "home2", tmp_path / "config.toml")
    other("import", str(export), "--files", str(files))
    for command in (
        ("profile", "show"),
        ("apps", "history", app_id),
        ("documents", "list"),
        ("portfolio", "list", "employment"),
    ):
        assert other.json(*command) == frmr.json(*command)
    (theirs,), (ours,) = other.json("apps", "list"), frmr.json("apps", "list")  # type: ignore[misc]
    assert Path(theirs.pop("folder")).is_dir()
    ours.pop("folder")
    assert theirs == ours
    again = tmp_path / "export2.json"
    other("export", str(again))
    first, second = json.loads(export.read_text()), json.loads(again.read_text())
    assert first["tables"] == second["tables"]
    refused = other("import", str(export), "--files", str(files), ok=False)
    assert refused.returncode == 2 and "пустое хранилище" in refused.stderr


def test_doctor_passes_on_a_healthy_store_and_fails_on_bad_permissions(frmr: Frmr) -> None:
    assert "integrity" in frmr("doctor").stdout
    home = Path(frmr.env["FRMR_HOME"])
    (home / "frmr.sqlite3").chmod(0o644)
    result = frmr("doctor", ok=False)
    assert result.returncode == 1
    assert "ОШИБКА" in result.stdout


def test_positions_lists_the_bundled_reference_book(frmr: Frmr) -> None:
    items = frmr.json("positions")
    assert {"code": "1", "name": "Врач-терапевт"} in items  # type: ignore[operator]
