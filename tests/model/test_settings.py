"""Settings come from one place: environment first, then the TOML file, then defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.settings import load_settings


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
    assert a.parent == tmp_path / "run" / "frmr"
    # AF_UNIX paths are limited to ~100 bytes: the name must not grow with the home path.
    assert len(a.name) < 30
