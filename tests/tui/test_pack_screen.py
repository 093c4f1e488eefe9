"""«Сжать и объединить» and «Для портала» on the Заявления screen, against a real store."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from textual.widgets import Button, SelectionList, Static

from frmr.model.documents.library import attach_files, list_documents
from frmr.model.store.account import Account
from frmr.tui.screens.applications import ApplicationsScreen
from frmr.tui.screens.dialogs import TextScreen
from frmr.tui.screens.pack import PackScreen
from tests.support.documents import jpeg_bytes, page_image
from tests.support.reads import stored_application, stored_history
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import new_app, wait_for

pytestmark = pytest.mark.anyio


def _two_photos(account: Account, tmp_path: Path) -> str:
    app_id = new_app(account)
    paths = []
    for page in (1, 2):
        path = tmp_path / f"диплом {page}.jpg"
        path.write_bytes(jpeg_bytes(page_image(60, seed=page), quality=90))
        paths.append(path)
    attach_files(account, app_id, paths)
    return app_id


async def test_two_photos_are_previewed_then_attached_as_one_pdf(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    app_id = _two_photos(account, tmp_path)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ApplicationsScreen)
        await wait_for(pilot, lambda: screen.loaded and screen.current_id() == app_id)
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PackScreen))
        pack = pilot.app.screen
        assert isinstance(pack, PackScreen)
        apply = pack.query_one("#pack-apply", Button)
        assert apply.disabled
        pack.query_one("#pack-files", SelectionList).select_all()
        await pilot.press("v")
        await wait_for(pilot, lambda: not apply.disabled, seconds=60)
        preview = str(pack.query_one("#pack-preview", Static).render())
        assert "«диплом на 2 л.pdf»: 2 л." in preview
        await pilot.click("#pack-apply")
        await wait_for(pilot, lambda: pilot.app.screen is screen, seconds=30)

    (attached,) = stored_application(account, app_id).documents
    assert attached.file_name == "диплом на 2 л.pdf"
    blob = account.store.blobs.path_for(attached.sha256).read_bytes()
    with pikepdf.open(io.BytesIO(blob)) as pdf:
        assert len(pdf.pages) == 2
    # The photos stay in the library; the history says what was done.
    assert len(list_documents(account)) == 3
    assert any("диплом на 2 л.pdf: объединено файлов: 2" in (e.reason or "")
               for e in stored_history(account, app_id))  # fmt: skip


async def test_the_portal_set_is_written_and_its_sheet_shown(
    account: Account, frmr_home: Path, tmp_path: Path
) -> None:
    app_id = _two_photos(account, tmp_path)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ApplicationsScreen)
        await wait_for(pilot, lambda: screen.loaded and screen.current_id() == app_id)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TextScreen), seconds=60)
        shown = "\n".join(str(w.render()) for w in pilot.app.screen.query(Static))
    (folder,) = (frmr_home / "portal").iterdir()
    assert folder.name.startswith(app_id[:8])
    assert sorted(p.name for p in folder.iterdir()) == [
        "ПОДАЧА.txt",
        "диплом 1 на 1 л.pdf",
        "диплом 2 на 1 л.pdf",
    ]
    assert f"Папка для подачи: {folder}" in shown
    assert "Специальность: Терапия" in shown
