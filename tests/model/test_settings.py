"""Settings come from one place: environment first, then the TOML file, then defaults."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from frmr.model.store.settings import SOCKET_PATH_MAX, SettingsInvalid, load_settings


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


def test_environment_values_are_parsed_by_the_field_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRMR_CONFIG", str(tmp_path / "absent.toml"))
    # Variable names match without regard to case, as they did under pydantic-settings.
    monkeypatch.setenv("frmr_settle_seconds", "0.25")
    monkeypatch.setenv("FRMR_FORCE_POLLING", "yes")
    monkeypatch.setenv("FRMR_AUTO_PACK", "0")
    monkeypatch.setenv("FRMR_PACK_QUALITY", "70")
    monkeypatch.setenv("FRMR_READINESS_PK_HOURS", "72")
    monkeypatch.setenv("FRMR_READINESS_WINDOW", "90d")
    monkeypatch.setenv("FRMR_KEYMAP", '{"apps.add": "a"}')
    settings = load_settings()
    assert settings.settle_seconds == 0.25
    assert settings.force_polling is True and settings.auto_pack is False
    assert settings.pack_quality == 70
    assert (settings.readiness_pk_hours, settings.readiness_window) == (72, "90d")
    assert settings.keymap == {"apps.add": "a"}
    assert settings.explicit >= {"settle_seconds", "keymap", "pack_quality"}
    assert "pull_seconds" not in settings.explicit


def test_an_override_beats_the_environment_which_beats_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("pull_seconds = 10\nrescan_seconds = 20\npolling_seconds = 30\n")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    monkeypatch.setenv("FRMR_PULL_SECONDS", "11")
    monkeypatch.setenv("FRMR_RESCAN_SECONDS", "21")
    settings = load_settings(pull_seconds=12.0)
    assert (settings.pull_seconds, settings.rescan_seconds, settings.polling_seconds) == (
        12.0,
        21.0,
        30.0,
    )
    assert load_settings().pull_seconds == 11.0


@pytest.mark.parametrize(
    ("env", "toml", "names"),
    [
        ({"FRMR_READINESS_PK_HOURS": "73"}, "", ["readiness_pk_hours"]),
        ({}, "readiness_pk_hours = true\n", ["readiness_pk_hours"]),
        ({}, "readiness_window = '1y'\n", ["readiness_window"]),
        ({"FRMR_SETTLE_SECONDS": "soon"}, "", ["settle_seconds"]),
        ({"FRMR_FORCE_POLLING": "maybe"}, "", ["force_polling"]),
        ({}, "pack_dpi_floor = 50\nhome = 5\n", ["home", "pack_dpi_floor"]),
        ({"FRMR_KEYMAP": "[1]"}, "", ["keymap"]),
    ],
)
def test_a_value_a_setting_cannot_take_is_named_in_russian(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    toml: str,
    names: list[str],
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsInvalid) as caught:
        load_settings()
    text = caught.value.user_text()
    assert f"Неверное значение настройки {', '.join(names)}" in text
    assert str(config) in text
    for name in names:
        assert f"FRMR_{name.upper()}" in text


def test_a_settings_file_that_is_not_toml_is_refused_in_russian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text("home = \n", encoding="utf-8")
    monkeypatch.setenv("FRMR_CONFIG", str(config))
    with pytest.raises(SettingsInvalid) as caught:
        load_settings()
    assert f"Не удалось прочитать файл настроек {config}" in caught.value.user_text()
