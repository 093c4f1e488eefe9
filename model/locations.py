"""Where frmr keeps its files, known before model.settings is imported.

model.settings (pydantic-settings) takes 100–250 ms to import; the TUI wants the store's
path sooner, to put the first applications on screen while the rest loads. This module
holds the defaults Settings uses, and `peek_home`, which answers only the common cases
(FRMR_HOME, or a plain `home` string in the TOML file, or the default) and says None for
anything else, so the caller falls back to Settings. tests/model/test_settings.py pins
`peek_home` to Settings over those cases.
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
    """What lives under FRMR_HOME, each name spelled here once (design.md: the local store)."""

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


def peek_home() -> Path | None:
    """The data dir Settings will choose, or None when only Settings can tell."""
    # pydantic-settings matches variable names without regard to case.
    from_env = [value for name, value in os.environ.items() if name.upper() == HOME_VARIABLE]
    if from_env:
        return Path(from_env[0]) if len(from_env) == 1 and from_env[0] else None
    try:
        file = config_file().open("rb")
    except FileNotFoundError:
        return default_home()
    except OSError:
        return None
    # Imported only when there is a file to parse: most homes have none.
    import tomllib

    try:
        with file:
            configured = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError):
        return None
    home = configured.get("home", None)
    if home is None:
        return default_home()
    return Path(home) if isinstance(home, str) and home else None
