"""The TUI's flows driven by Pilot, over the same store and registry the CLI and daemon use."""

from __future__ import annotations

from pathlib import Path

import pytest

from model.account import Account
from model.actions.applications import get_application
from model.actions.history import move
from model.actions.profile import get_person
from model.errors import UploadLimitExceeded
from model.limits import check_attachment_set
from model.snils import format_snils, snils_check_number
from model.statuses import Actor, ApplicationStatus
from model.tables import RejectedFile
from tests.support.registry_process import DEMO_LOGIN, DEMO_PASSWORD, RegistryProcess
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import fill_card, fill_portfolio, new_app, screen_text, typed, wait_for
from tui.screens.applications import ApplicationsScreen, NewApplicationScreen
from tui.screens.documents import DocumentsScreen
from tui.screens.login import LoginScreen
from tui.screens.profile import ProfileScreen
from tui.widgets.field import FormField

pytestmark = pytest.mark.anyio


async def _login(registry: RegistryProcess, home: Path, login: str, password: str) -> str:
    app = tui_app(tui_settings(home, registry.url), ask_login=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press(*typed(login), "enter", *typed(password), "enter")
        await wait_for(
            pilot,
            lambda: (
                not isinstance(app.screen, LoginScreen)
                or bool(str(app.screen.query_one("#login-error").render()).strip("Входим… "))
            ),
        )
        if not isinstance(app.screen, LoginScreen):
            return "ok"
        return str(app.screen.query_one("#login-error").render())


async def test_login_with_the_demo_employee_saves_a_token(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    assert await _login(registry, tmp_path, DEMO_LOGIN, DEMO_PASSWORD) == "ok"
    assert (tmp_path / "token.json").exists()


async def test_wrong_password_is_refused_with_a_message(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    text = await _login(registry, tmp_path, DEMO_LOGIN, "not-the-password")
    assert "парол" in text.lower()
    assert not (tmp_path / "token.json").exists()


async def test_unknown_snils_says_the_employee_is_not_in_frmr(
    registry: RegistryProcess, tmp_path: Path
) -> None:
    unknown = format_snils("123456789" + snils_check_number("123456789"))
    text = await _login(registry, tmp_path, unknown, "whatever-1")
    assert "Сотрудник с указанным СНИЛС не найден в системе ФРМР" in text


async def test_card_with_a_wrong_snils_shows_the_error_and_saves_nothing(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.switch_mode("profile")
        await wait_for(pilot, lambda: bool(app.screen.query(FormField)))
        snils = app.screen.query_one("#field-snils", FormField)
        snils.query_one("Input").focus()
        await pilot.press("ctrl+u", *typed("112-233-445 96"))
        await wait_for(pilot, lambda: "-invalid" in snils.classes)
        assert "контрольн" in str(snils.query_one(".field-error").render()).lower()
        await pilot.press("ctrl+o")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ProfileScreen)
    assert get_person(account).snils == "11223344595"


async def test_add_form_and_submit_an_application(account: Account, frmr_home: Path) -> None:
    fill_card(account)
    fill_portfolio(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_shown_ms is not None)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NewApplicationScreen))
        form = app.screen
        # Phone and e-mail come prefilled from the card; the specialty is picked from the list.
        assert form.query_one("#field-phone", FormField).value.endswith("67-89")
        form.query_one("#field-specialty Select").value = "Терапия"  # type: ignore[attr-defined]
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ApplicationsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: len(screen.views) == 1)  # type: ignore[attr-defined]
        await pilot.press("f")
        await wait_for(pilot, lambda: "Сформировано" in screen_text(pilot))
        await pilot.press("p")
        await wait_for(pilot, lambda: "В очереди на отправку" in screen_text(pilot))
    [view] = screen.views.values()  # type: ignore[attr-defined]
    assert get_application(account, view.app.id).app.status is ApplicationStatus.QUEUED


async def test_forming_an_incomplete_portfolio_lists_each_problem_with_its_fix(
    account: Account, frmr_home: Path
) -> None:
    fill_card(account)
    new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_shown_ms is not None)
        await pilot.press("f")
        await wait_for(pilot, lambda: "Что сделать" in screen_text(pilot))


async def test_a_review_decision_appears_without_a_key_press(
    account: Account, frmr_home: Path
) -> None:
    # The daemon's sync engine is not in the tree yet, so the test commits what it would
    # write after pulling the decision: the same move(), from another connection.
    fill_card(account)
    fill_portfolio(account)
    app_id = new_app(account)
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.data_shown_ms is not None)
        with account.store.write() as session:
            from model.tables import Application

            row = session.get(Application, app_id)
            assert row is not None
            for status, actor in (
                (ApplicationStatus.FORMED, Actor.WORKER),
                (ApplicationStatus.QUEUED, Actor.WORKER),
                (ApplicationStatus.UNDER_REVIEW, Actor.DAEMON),
            ):
                move(session, row, status, actor)
            move(
                session,
                row,
                ApplicationStatus.REJECTED,
                Actor.REGISTRY,
                "Не приложен документ об образовании",
            )
        await wait_for(pilot, lambda: "Отклонено" in screen_text(pilot), seconds=5)
        text = screen_text(pilot)
        assert "Причина: Не приложен документ об образовании" in text
        assert "исправьте их" in text.lower()


async def test_a_sixth_file_is_shown_refused_with_its_reason(
    account: Account, frmr_home: Path
) -> None:
    app_id = new_app(account)
    folder = get_application(account, app_id).folder
    try:
        check_attachment_set([1000] * 5, [1000])
    except UploadLimitExceeded as exc:
        reason = exc.user_text()
    # What the daemon's intake records when the 6th file lands in the folder.
    with account.store.write() as session:
        session.add(
            RejectedFile(
                file_name="шестой.pdf",
                rejected_path=str(Path(folder).parent / "rejected" / "шестой.pdf"),
                reason=reason,
                application_id=app_id,
            )
        )
    app = tui_app(tui_settings(frmr_home))
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("documents")
        await wait_for(pilot, lambda: "шестой.pdf" in screen_text(pilot))
        assert isinstance(app.screen, DocumentsScreen)
        assert "не более 5 файлов" in screen_text(pilot)
