"""Where frmr keeps its files, known before model.settings is imported.

model.settings (pydantic-settings) takes 100–250 ms to import; the TUI wants the store's
path sooner, to put the first applications on screen while the rest loads. This module
holds the defaults Settings uses, and `peek_settings` and `peek_home`, which answer only the
common cases (FRMR_HOME, or a plain `home` string in the TOML file, or the default) and say
None for anything else, so the caller falls back to Settings. tests/model/test_settings.py
pins them to Settings over those cases.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "frmr"
HOME_VARIABLE = "FRMR_HOME"


def config_file() -> Path:
    """The TOML file; FRMR_CONFIG overrides its location (tests use it)."""
    override = os.environ.get("FRMR_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def default_home() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


@dataclass(frozen=True)
class HomeLayout:
    """What lives under FRMR_HOME, each name spelled here once (docs/architecture.md)."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / "frmr.sqlite3"

    @property
    def blobs_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def documents_dir(self) -> Path:
        """The watched folder; application folders sit inside it."""
        return self.home / "documents"

    @property
    def rejected_dir(self) -> Path:
        return self.documents_dir / "rejected"

    @property
    def cache_dir(self) -> Path:
        """What can be made again: the working-days calendar."""
        return self.home / "cache"

    @property
    def token_path(self) -> Path:
        return self.home / "token.json"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def daemon_log(self) -> Path:
        return self.log_dir / "daemon.log"

    @property
    def daemon_lock(self) -> Path:
        """One daemon per data dir holds this lock."""
        return self.home / "daemon.lock"

    @property
    def sandbox_dir(self) -> Path:
        """The local registry the TUI starts for a new user."""
        return self.home / "sandbox"

    @property
    def sandbox_info(self) -> Path:
        """The sandbox registry's url, admin token and pid, as the TUI writes them."""
        return self.sandbox_dir / "registry.json"


def database_path(home: Path) -> Path:
    return HomeLayout(home).database


def peek_settings(*names: str) -> dict[str, object] | None:
    """What Settings will read for each of `names`: FRMR_<NAME> from the environment (a
    string), else the TOML file's value, else None (the default); None for all when only
    Settings can tell (the variable set twice in two cases, a file it can't parse)."""
    found: dict[str, object] = {}
    config: dict[str, object] | None = None
    for name in names:
        variable = f"FRMR_{name.upper()}"
        # pydantic-settings matches variable names without regard to case.
        from_env = [value for key, value in os.environ.items() if key.upper() == variable]
        if len(from_env) > 1:
            return None
        if from_env:
            found[name] = from_env[0]
            continue
        if config is None:
            config = _peek_config()
            if config is None:
                return None
        found[name] = config.get(name)
    return found


def _peek_config() -> dict[str, object] | None:
    """The TOML file's table, {} when there is no file, None when it can't be read."""
    try:
        file = config_file().open("rb")
    except FileNotFoundError:
        return {}
    except OSError:
        return None
    # Imported only when there is a file to parse: most homes have none.
    import tomllib

    try:
        with file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError):
        return None


def peek_home() -> Path | None:
    """The data dir Settings will choose, or None when only Settings can tell."""
    found = peek_settings("home")
    if found is None:
        return None
    home = found["home"]
    if home is None:
        return default_home()
    return Path(home) if isinstance(home, str) and home else None
