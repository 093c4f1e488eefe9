"""Settings come from one place: environment first, then the TOML file, then defaults."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from frmr.model.settings import SOCKET_PATH_MAX, load_settings


def test_toml_file_supplies_values_and_environment_overrides_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        'registry_url = "https://registry.example"\n'
        f'home = "{tmp_path / "from-toml"}"\n'
        '[keymap]\n"apps.add" = "n"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    monkeypatch.delenv("FRMR_HOME", raising=False)
    monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
    settings = load_settings()
    assert settings.registry_url == "https://registry.example"
    assert settings.home == tmp_path / "from-toml"
    assert settings.keymap == {"apps.add": "n"}
    assert not settings.is_sandbox

    monkeypatch.setenv("FRMR_HOME", str(tmp_path / "from-env"))
    monkeypatch.setenv("FRMR_CA_BUNDLE", str(tmp_path / "ca.pem"))
    settings = load_settings()
    assert settings.home == tmp_path / "from-env"
    assert settings.ca_bundle == tmp_path / "ca.pem"
    assert settings.database_path == tmp_path / "from-env" / "frmr.sqlite3"


def test_without_registry_the_account_uses_the_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("FRMR_HOME", str(tmp_path / "h"))
    monkeypatch.delenv("FRMR_REGISTRY_URL", raising=False)
    settings = load_settings()
    assert settings.is_sandbox
    assert settings.documents_dir == tmp_path / "h" / "documents"


def test_control_socket_path_is_short_and_per_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    deep = tmp_path / ("very-long-folder-name-" * 6)
    a = load_settings(home=deep / "a").control_socket
    b = load_settings(home=deep / "b").control_socket
    assert a != b
    # AF_UNIX paths are limited to ~100 bytes: the name must not grow with the home path,
    # and a runtime folder too deep for it gives way to a private per-user temp folder.
    assert len(a.name) < 30
    assert len(os.fsencode(a)) <= SOCKET_PATH_MAX
    in_runtime = tmp_path / "run" / "frmr" / a.name
    if len(os.fsencode(in_runtime)) <= SOCKET_PATH_MAX:
        assert a == in_runtime
    else:
        assert a == Path(tempfile.gettempdir()) / f"frmr-{os.getuid()}" / a.name


def test_a_runtime_folder_too_deep_for_a_socket_falls_back_to_a_short_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / ("deep-" * 30)))
    path = load_settings(home=tmp_path / "home").control_socket
    assert path.parent == Path(tempfile.gettempdir()) / f"frmr-{os.getuid()}"
    assert len(os.fsencode(path)) <= SOCKET_PATH_MAX


@pytest.mark.parametrize(
    ("env_home", "toml"),
    [
        (None, None),
        (None, "registry_url = 'https://r.example'\n"),
        (None, "home = '{tmp}/from-toml'\n"),
        ("{tmp}/from-env", None),
        ("{tmp}/from-env", "home = '{tmp}/from-toml'\n"),
        ("relative/home", "home = 'other'\n"),
    ],
)
def test_peek_home_agrees_with_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env_home: str | None, toml: str | None
) -> None:
    """The TUI's fast path finds the store with peek_home: it must be the store Settings
    opens, or the first page would show another person's applications."""
    from frmr.model.locations import peek_home

    config = tmp_path / "config.toml"
    if toml is not None:
        config.write_text(toml.format(tmp=tmp_path), encoding="utf-8")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("FRMR_HOME", raising=False)
    if env_home is not None:
        monkeypatch.setenv("FRMR_HOME", env_home.format(tmp=tmp_path))
    assert peek_home() == load_settings().home


@pytest.mark.parametrize("toml", ["home = [1]\n", "home = \n", "home = ''\n"])
def test_peek_home_leaves_the_unusual_cases_to_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str
) -> None:
    from frmr.model.locations import peek_home

    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    monkeypatch.delenv("FRMR_HOME", raising=False)
    assert peek_home() is None


def test_peek_home_says_none_when_the_variable_is_set_twice_in_two_cases(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frmr.model.locations import peek_home

    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("FRMR_HOME", str(tmp_path / "a"))
    monkeypatch.setenv("frmr_home", str(tmp_path / "b"))
    assert peek_home() is None


@pytest.mark.parametrize(
    ("env", "toml"),
    [
        ({}, None),
        ({"FRMR_READINESS_PK_HOURS": "72"}, None),
        ({"frmr_readiness_window": "90d"}, None),
        ({}, "readiness_pk_hours = 72\nreadiness_window = '12m'\n"),
        ({"FRMR_READINESS_PK_HOURS": "74"}, "readiness_pk_hours = 72\n"),
    ],
)
def test_peeked_readings_agree_with_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], toml: str | None
) -> None:
    """`frmr readiness` peeks at the readings of the rules without Settings: what it finds
    must be what Settings would take."""
    from frmr.model.locations import peek_settings
    from frmr.model.readiness.rules import peeked_readings

    config = tmp_path / "config.toml"
    if toml is not None:
        config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    peeked = peek_settings("readiness_pk_hours", "readiness_window")
    assert peeked is not None
    settings = load_settings()
    assert peeked_readings(peeked) == (settings.readiness_pk_hours, settings.readiness_window)


@pytest.mark.parametrize(
    ("env", "toml"),
    [
        ({"FRMR_READINESS_PK_HOURS": "73"}, None),
        ({"FRMR_READINESS_PK_HOURS": " 72"}, None),
        ({}, "readiness_pk_hours = true\n"),
        ({}, "readiness_window = '1y'\n"),
        ({}, "readiness_window = \n"),
    ],
)
def test_readings_peek_leaves_the_unusual_cases_to_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], toml: str | None
) -> None:
    from frmr.model.locations import peek_settings
    from frmr.model.readiness.rules import peeked_readings

    config = tmp_path / "config.toml"
    if toml is not None:
        config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    peeked = peek_settings("readiness_pk_hours", "readiness_window")
    assert peeked is None or peeked_readings(peeked) is None
