"""A СНИЛС or a password on the command line is read by every user of the machine in `ps` and
stays in the shell's history: `frmr login` and the registry's CLI take them from a prompt,
stdin or a file, and refuse them as arguments. Real processes against a served registry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.fixtures import registry
from tests.support.registry_process import DEMO_LOGIN, DEMO_PASSWORD, RegistryProcess

__all__ = ["registry"]

FRMR = shutil.which("frmr") or str(Path(sys.executable).with_name("frmr"))
REGISTRY = [sys.executable, "-m", "frmr.registry.cli"]


def _login(
    tmp_path: Path, registry: RegistryProcess, *args: str, stdin: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FRMR_HOME": str(tmp_path / "home")}
    env["FRMR_CONFIG"] = str(tmp_path / "config.toml")
    env["FRMR_REGISTRY_URL"] = registry.url
    return subprocess.run(
        [FRMR, "login", *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_a_login_on_the_command_line_is_refused_before_anything_is_sent(
    tmp_path: Path, registry: RegistryProcess
) -> None:
    result = _login(
        tmp_path, registry, "--login", DEMO_LOGIN, "--password-stdin", stdin=DEMO_PASSWORD + "\n"
    )
    assert result.returncode == 2, result.stderr
    assert "видят все пользователи компьютера" in result.stderr
    assert "--login-file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "token.json").exists()


def test_login_and_password_both_from_stdin(tmp_path: Path, registry: RegistryProcess) -> None:
    result = _login(
        tmp_path,
        registry,
        "--login-file",
        "-",
        "--password-stdin",
        stdin=f"{DEMO_LOGIN}\n{DEMO_PASSWORD}\n",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "token.json").exists()


def test_login_from_a_file_and_password_from_stdin(
    tmp_path: Path, registry: RegistryProcess
) -> None:
    login_file = tmp_path / "login.txt"
    login_file.write_text(DEMO_LOGIN + "\n", encoding="utf-8")
    result = _login(
        tmp_path,
        registry,
        "--login-file",
        str(login_file),
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "token.json").exists()


def test_a_missing_login_file_is_a_russian_error(tmp_path: Path, registry: RegistryProcess) -> None:
    result = _login(
        tmp_path, registry, "--login-file", str(tmp_path / "nope"), "--password-stdin", stdin=""
    )
    assert result.returncode == 2
    assert "не удалось прочитать логин из файла" in result.stderr
    assert "Traceback" not in result.stderr


def _seed(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*REGISTRY, "seed-demo", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_seed_demo_takes_no_password_argument(tmp_path: Path) -> None:
    result = _seed(tmp_path / "registry.db", "--password", "on-the-command-line")
    assert result.returncode == 2
    assert "--password" in result.stderr


def test_seed_demo_reads_the_password_from_stdin_or_a_file_and_does_not_echo_it(
    tmp_path: Path,
) -> None:
    from sqlmodel import Session, create_engine, select

    from frmr.registry.passwords import verify_password
    from frmr.registry.tables import Employee

    secret_file = tmp_path / "secret"
    secret_file.write_text("из файла 1\n", encoding="utf-8")
    for db, args, stdin, password in (
        (tmp_path / "a.db", ("--password-stdin",), "со stdin 2\n", "со stdin 2"),
        (tmp_path / "b.db", ("--password-file", str(secret_file)), "", "из файла 1"),
    ):
        result = _seed(db, *args, stdin=stdin)
        assert result.returncode == 0, result.stderr
        assert password not in result.stdout
        engine = create_engine(f"sqlite:///{db}")
        with Session(engine) as session:
            (employee,) = session.exec(select(Employee)).all()
            assert verify_password(password, employee.password_hash)
        engine.dispose()


def test_seed_demo_refuses_an_empty_password(tmp_path: Path) -> None:
    result = _seed(tmp_path / "registry.db", "--password-stdin", stdin="\n")
    assert result.returncode == 1
    assert "пароль пуст" in result.stderr
