"""The registry server's settings: read once, from the command line or the environment.

Worker processes started by uvicorn get them through ``FRMR_REGISTRY_*`` variables. The
annotations are evaluated (no `from __future__ import annotations`): the reader goes by them.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Self

from platformdirs import user_data_dir

from frmr.model.rules.errors import FrmrError
from frmr.model.rules.private import make_private_dir
from frmr.model.store.settings_source import not_read, read_fields

ENV_PREFIX = "FRMR_REGISTRY_"


def default_db_path() -> Path:
    return Path(user_data_dir("frmr-registry", appauthor=False)) / "registry.db"


def database_url(db: str | None, *, create: bool = True) -> str:
    """A SQLAlchemy URL from ``--db``: a URL as given, a path as a SQLite file.

    `create=False` (the admin commands: listing, review, removal) refuses a SQLite file that
    does not exist: opening it would create an empty registry somewhere and answer «nothing
    there» about the one the operator meant."""
    if db and "://" in db:
        return db
    path = Path(db) if db else default_db_path()
    if not create and not path.exists():
        raise DatabaseMissing(path)
    make_private_dir(path.parent)
    return f"sqlite:///{path}"


class DatabaseMissing(FrmrError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"База регистра не найдена: {path}. Укажите её в --db "
            "(для песочницы: frmr sandbox applications, frmr sandbox review)",
            f"registry database {path} does not exist",
        )


@dataclass
class RegistrySettings:
    db_url: str
    sandbox: bool = False
    admin_token: str | None = None
    auto_review_seconds: float | None = None
    # Set in code only (tests), never from the environment.
    token_ttl: timedelta = field(default=timedelta(hours=12), metadata=not_read())
    qr_ttl: timedelta = field(default=timedelta(minutes=5), metadata=not_read())
    # Uploads buffered at once per worker process (each up to 10 MiB, the whole quota): past
    # this the registry answers 503 + Retry-After, so memory stays bounded under a burst.
    upload_slots: int = 4
    # Of those, how many one employee may hold: a client sends its files one at a time, so a
    # second at once is a retry racing its first or someone holding slots from others.
    upload_slots_per_person: int = 1
    # A request body may take any time for this long, then must have come at least at
    # body_min_rate bytes a second on average (bodies.Pace). 1 KiB/s sends the whole 10 MiB
    # quota in under three hours; a byte every two seconds is cut off after the grace.
    body_grace_seconds: float = 30.0
    body_min_rate: int = 1024

    @classmethod
    def load(cls, **overrides: object) -> Self:
        """`overrides`, then FRMR_REGISTRY_* variables (a worker process reads `to_env`'s),
        then the defaults: the client's settings reader (model.store.settings_source)."""
        values, problems = read_fields(cls, ENV_PREFIX, {}, overrides)
        if problems or "db_url" not in values:
            raise ValueError(f"registry settings: {problems or 'FRMR_REGISTRY_DB_URL not set'}")
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The environment that makes a worker process build these same settings."""
        env = {f"{ENV_PREFIX}DB_URL": self.db_url, f"{ENV_PREFIX}SANDBOX": str(self.sandbox)}
        if self.admin_token:
            env[f"{ENV_PREFIX}ADMIN_TOKEN"] = self.admin_token
        if self.auto_review_seconds is not None:
            env[f"{ENV_PREFIX}AUTO_REVIEW_SECONDS"] = str(self.auto_review_seconds)
        return env
