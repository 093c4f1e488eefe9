"""An open account: the store plus the folders around it. Every action takes one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from frmr.model.store.engine import Store, make_private_dir, open_store
from frmr.model.store.locations import HomeLayout
from frmr.model.store.settings import Settings


@dataclass
class Account:
    store: Store
    documents_dir: Path
    # Where published sources disagree (rules.json), the reading settings chose.
    readiness_pk_hours: int | None = None
    readiness_window: str | None = None

    @property
    def home(self) -> Path:
        return self.store.home

    @property
    def rejected_dir(self) -> Path:
        return HomeLayout(self.home).rejected_dir

    def application_folder(self, folder_name: str) -> Path:
        return self.documents_dir / folder_name

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Account:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_account(settings: Settings) -> Account:
    store = open_store(settings.home)
    documents_dir = settings.documents_dir
    make_private_dir(documents_dir)
    return Account(
        store=store,
        documents_dir=documents_dir,
        readiness_pk_hours=settings.readiness_pk_hours,
        readiness_window=settings.readiness_window,
    )
