"""A user's world for the sync tests: a registry with a demo employee of its own, a
logged-in home."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import attach_files
from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import Settings, load_settings
from frmr.sync.auth import login, save_token
from frmr.sync.client import RegistryClient
from frmr.sync.engine import SyncEngine
from frmr.sync.profile_push import adopt_remote_profile
from tests.samples import add_listed_scans, make_pdf
from tests.support.reads import stored_application
from tests.support.registry_process import RegistryProcess


@dataclass
class World:
    registry: RegistryProcess
    settings: Settings
    account: Account

    def new_filed_application(self, n: int = 0, *, files: int = 1) -> str:
        """A formed and submitted application with `files` PDFs attached; returns its id."""
        view = apps.new_application(
            self.account,
            specialty="Терапия",
            phone="+79161234567",
            email="demo@example.org",
            education_level="Высшее",
        )
        paths = [
            make_pdf(self.settings.home.parent / f"src-{view.app.id[:8]}-{i}.pdf", salt=f"{n}-{i}")
            for i in range(files)
        ]
        if paths:
            attach_files(self.account, view.app.id, paths)
        # The scans the list of documents names, once: forming is refused without them.
        add_listed_scans(self.account, self.settings.home.parent / "scans")
        apps.form_application(self.account, view.app.id)
        apps.submit_application(self.account, view.app.id)
        return view.app.id

    def status_of(self, app_id: str) -> str:
        return str(stored_application(self.account, app_id).app.status.value)


def make_world(registry: RegistryProcess, home: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("FRMR_HOME", str(home))
    monkeypatch.setenv("FRMR_CONFIG", str(home.parent / "config.toml"))
    monkeypatch.setenv("FRMR_REGISTRY_URL", registry.url)
    settings = load_settings()
    # Its own account: the registry is shared by the worker's modules (tests/support/fixtures).
    login_name, password = registry.new_person()
    token = login(registry.url, login_name, password)
    save_token(settings.token_path, token)
    account = open_account(settings)
    # What the daemon's first cycle does: take the registry's preloaded portfolio.
    with RegistryClient(registry.url, token=token.access_token) as client:
        adopt_remote_profile(SyncEngine(account.store, client).link)
    return World(registry=registry, settings=settings, account=account)
