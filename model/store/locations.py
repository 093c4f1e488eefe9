"""Where frmr keeps its files: the defaults model.store.settings uses, and every name under the
home, spelled once (HomeLayout)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "frmr"


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
