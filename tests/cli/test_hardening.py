"""`frmr` refuses what the registry would refuse, and keeps personal data private.

The commands run in-process through click's CliRunner (each call its own Context, settings
and store, as a process would have): what is checked is what they write and print, not the
process around them. The first-command stories run in a fresh process, where the home and
the log are made by whatever that process does first."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import Frmr
from tests.support.fixtures import registry
from tests.support.registry_process import DEMO_LOGIN, DEMO_PASSWORD, RegistryProcess

__all__ = ["registry"]

FRMR = shutil.which("frmr") or str(Path(sys.executable).with_name("frmr"))


@pytest.fixture
def frmr(tmp_path: Path) -> Frmr:
    return Frmr(tmp_path / "home", tmp_path / "config.toml")


def test_a_terminal_escape_in_a_name_is_refused_with_exit_2(frmr: Frmr) -> None:
    refused = frmr("profile", "set", "last_name", "\x1b]0;pwned\x07Иванова\x1b[2J", ok=False)
    assert refused.returncode == 2
    assert "недопустимый управляющий символ" in refused.stderr and "\x1b" not in refused.stderr
    for value in ("\u200b", "Иванова\u202e", "\x07"):
        assert frmr("profile", "set", "first_name", value, ok=False).returncode == 2
    frmr("profile", "set", "last_name", "Иванова")
    assert "Иванова" in frmr("profile", "show").stdout


def _exported(frmr: Frmr, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    frmr("profile", "set", "last_name", "Иванова")
    frmr("profile", "set", "snils", "112-233-445 95")
    frmr("portfolio", "add", "courses", "theme=Терапия", "kind=nmo_module", "institution=ИОМ",
         "hours=36", "begin_date=01.02.2024")  # fmt: skip
    frmr("apps", "new", "--specialty", "Терапия", "--phone", "9123456789", "--email", "a@b.ru")
    target = tmp_path / "export.json"
    frmr("export", str(target))
    return json.loads(target.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_a_crafted_export_is_refused_whole_with_a_russian_list_and_nothing_written(
    frmr: Frmr, tmp_path: Path
) -> None:
    data = _exported(frmr, tmp_path)
    person = data["tables"]["person"][0]
    person["last_name"] = "я" * 1_048_576
    person["snils"] = "11223344596"
    person["version"] = "abc"
    person["birth_date"] = "2020-02-31"
    data["tables"]["course"][0]["begin_date"] = "2999-01-01"
    data["tables"]["application"][0]["folder_name"] = "../../escaped"
    data["tables"]["application"][0]["comment"] = "\x1b]0;pwned\x07"
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    other = Frmr(tmp_path / "other" / "home", tmp_path / "other" / "config.toml")
    refused = other("import", str(crafted), ok=False)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr and "ничего не записано" in refused.stderr
    for expected in (
        "«Фамилия»: Фамилия: не длиннее 100 символов",
        "поле version: не целое число",
        "такой даты нет: '2020-02-31'",
        "контрольное число",
        "«Начало»: Дата 01.01.2999 ещё не наступила",
        "«Папка заявления»",
        "«Комментарий»: Комментарий: недопустимый управляющий символ",
        "Заявление, запись 1",
    ):
        assert expected in refused.stderr, (expected, refused.stderr[:2000])
    assert "\x1b" not in refused.stderr
    assert not (tmp_path / "escaped").exists()
    empty = json.loads(other("export", "-").stdout)
    assert all(rows == [] for rows in empty["tables"].values())


def test_exports_are_private(frmr: Frmr, tmp_path: Path) -> None:
    _exported(frmr, tmp_path)
    existing = tmp_path / "again.json"
    existing.write_text("{}")
    existing.chmod(0o644)
    frmr("export", str(existing), "--with-files", str(tmp_path / "files"))
    assert existing.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "files").stat().st_mode & 0o777 == 0o700


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_login_as_the_first_command_leaves_a_private_home(
    tmp_path: Path, registry: RegistryProcess
) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "FRMR_HOME": str(home), "FRMR_CONFIG": str(tmp_path / "config.toml")}
    env["FRMR_REGISTRY_URL"] = registry.url
    subprocess.run(
        [FRMR, "login", "--login-file", "-", "--password-stdin"],
        env=env, input=f"{DEMO_LOGIN}\n{DEMO_PASSWORD}\n", text=True, check=True, timeout=120,
    )  # fmt: skip
    assert _mode(home) == 0o700
    assert _mode(home / "token.json") == 0o600
    assert "ОШИБКА" not in Frmr(home, tmp_path / "config.toml")("doctor").stdout


TUI_FIRST = """
import asyncio, logging
from frmr.model.store.settings import load_settings
from frmr.tui.app import make_app

async def main():
    app = make_app(load_settings(), start_services=False, ask_login=False)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
    logging.getLogger("tui").error("typed snils 112.233.445_95 passport 45 10 123456")

asyncio.run(main())
"""


def test_the_tui_as_the_first_command_leaves_a_private_home_and_a_masked_log(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "FRMR_HOME": str(home), "FRMR_CONFIG": str(tmp_path / "config.toml")}
    env.pop("FRMR_REGISTRY_URL", None)
    subprocess.run([sys.executable, "-c", TUI_FIRST], env=env, check=True, timeout=120)
    log = home / "logs" / "tui.log"
    assert _mode(home) == 0o700 and _mode(home / "logs") == 0o700
    assert _mode(log) == 0o600
    text = log.read_text(encoding="utf-8")
    assert "***-***-445 95" in text and "** ** ***456" in text
    assert "112.233" not in text and "123456" not in text


def test_a_file_whose_name_holds_an_escape_sequence_is_not_added(
    frmr: Frmr, tmp_path: Path
) -> None:
    from tests.samples import make_pdf

    path = make_pdf(tmp_path / "\x1b]0;pwned\x07скан\u202e.pdf")
    refused = frmr("documents", "add", str(path), ok=False)
    assert refused.returncode == 2
    assert "Имя файла «\\x1b]0;pwned\\x07скан\\u202e.pdf»" in refused.stderr
    assert "Переименуйте файл" in refused.stderr
    assert "\x1b" not in refused.stderr + refused.stdout
    assert frmr.json("documents", "list") == []
