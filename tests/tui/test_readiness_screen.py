"""«Готовность» (F8): both verdicts at a glance, and the verdict turning as the portfolio is
fixed; snapshots at 80×24 and 120×40."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from frmr.model.documents.library import import_file
from frmr.model.portfolio.edits import add_row, update_row
from frmr.model.report.record import load_report
from frmr.model.store.account import Account, open_account
from frmr.tui.app import FrmrApp
from frmr.tui.screens.dialogs import MenuScreen
from frmr.tui.screens.readiness import ReadinessCard, ReadinessScreen
from frmr.tui.widgets.key_bar import KeyBar
from frmr.tui.widgets.rows_view import RowsView
from tests.support.documents import text_pdf
from tests.support.portfolio_reads import listed
from tests.tui.conftest import tui_app, tui_settings
from tests.tui.support import TODAY, header_answered, quiet, seeded_account, wait_for

SNAPSHOT_HOME = Path("/tmp/frmr-tui-snapshots")
SIZES = [(80, 24), (120, 40)]


def add_cardiology(account: Account) -> None:
    """Кардиология beside the seeded Терапия: window open, 20 h of НМО short."""
    add_row(
        account,
        "certificates",
        {
            "number": "0177 241234567",
            "kind": "certificate",
            "specialty_name": "Кардиология",
            "pass_date": "15.01.2022",
            "end_date": "15.01.2027",
        },
    )
    for theme, kind, hours, on, doc in (
        ("Неотложная кардиология", "dpp_pk", "74", "10.03.2023", "772400054321"),
        ("Школа кардиолога", "nmo_event", "50", "20.09.2025", "НМО-3003"),
    ):
        add_row(
            account,
            "courses",
            {
                "theme": theme,
                "kind": kind,
                "specialty": "Кардиология",
                "institution": "РМАНПО",
                "hours": hours,
                "begin_date": on,
                "doc_number": doc,
            },
        )


def cards(app: FrmrApp) -> list[str]:
    return [card.text.plain for card in app.screen.query(ReadinessCard)]


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded store with Кардиология, made once (seeding cost each test half a second):
    nothing in it names its folder, so each test's copy is the same store."""
    path = tmp_path_factory.mktemp("readiness-store") / "home"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("TZ", "UTC")
        time.tzset()
        with open_account(tui_settings(path)) as account:
            seeded_account(account)
            add_cardiology(account)
    time.tzset()
    return path


@pytest.fixture
def home(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, seeded_home: Path
) -> Iterator[Path]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    # A fixed path, because the snapshot shows it.
    path = SNAPSHOT_HOME / request.node.name.replace("[", "-").rstrip("]")
    shutil.rmtree(path, ignore_errors=True)
    shutil.copytree(seeded_home, path, symlinks=True)
    yield path
    monkeypatch.undo()
    time.tzset()


async def _open_readiness(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert isinstance(app, FrmrApp)
    await header_answered(pilot)
    await pilot.press("f8")
    await wait_for(pilot, lambda: isinstance(app.screen, ReadinessScreen) and len(cards(app)) == 2)
    await quiet(pilot)


# File names the checklist guesses its items from, one file per item of the periodic route.
CHECKLIST_FILES = (
    "Иванова паспорт.pdf",
    "Иванова выписка об аккредитации.pdf",
    "Иванова диплом.pdf",
    "Иванова удостоверение ПК.pdf",
    "Иванова отчет.pdf",
    "Иванова трудовая книжка.pdf",
)


@pytest.mark.anyio
async def test_f8_shows_the_three_verdicts_and_the_fixes_turn_them(
    home: Path, tmp_path: Path
) -> None:
    app = tui_app(tui_settings(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.data_loaded_ms is not None)
        # The applications list marks the draft (Терапия) with its verdict at a glance.
        rows = app.screen.query_one("#apps", RowsView)
        statuses = [cells[3] for cells in rows._cells.values()]
        assert "Черновик ! готово с оговорками" in statuses
        await _open_readiness(pilot)
        therapy, cardiology = sorted(cards(app), key=lambda c: not c.startswith("Терапия"))
        # Nothing blocks Терапия; its files are not in the library: an оговорка.
        assert "ГОТОВО С ОГОВОРКАМИ" in therapy
        assert "! оговорка: Не все документы приложены" in therapy
        assert "НЕ ГОТОВО" in cardiology and "не хватает 20" in cardiology
        assert "Подача: 15.01.2026 – 15.01.2027" in cardiology
        assert "решение до" in cardiology
        # The seeded worker is a therapist: Кардиология's period holds no cardiology post.
        assert "Должность: Врач-терапевт — стажа по специальности нет" in cardiology
        assert "Нет стажа по специальности в отчётном периоде" in cardiology
        assert "Должность: Врач-терапевт — стаж по специальности" in therapy
        account = app.account
        assert account is not None
        # The files of the checklist, named as portal guides name them: Терапия is ready.
        for i, name in enumerate(CHECKLIST_FILES):
            (tmp_path / name).write_bytes(text_pdf([f"scan {i}"]))  # distinct: no dedup
            import_file(account, tmp_path / name)
        # An НМО module and a part-time cardiology post: nothing blocks Кардиология, but its
        # decision may come after its certificate expires, an оговорка.
        add_row(
            account,
            "courses",
            {
                "theme": "ИОМ: хроническая сердечная недостаточность",
                "kind": "nmo_module",
                "specialty": "Кардиология",
                "institution": "Портал НМО",
                "hours": "20",
                "begin_date": "20.11.2026",
                "doc_number": "ИОМ-9",
            },
        )
        add_row(
            account,
            "employment",
            {
                "organization": "ГБУЗ ГКБ № 1",
                "position": "Врач-кардиолог",
                "position_type": "external_part_time",
                "begin_date": "01.02.2023",
            },
        )

        def turned() -> bool:
            by = {c.split(" — ")[0]: c for c in cards(app)}
            return "Терапия — Периодическая аккредитация: ГОТОВО\n" in by.get(
                "Терапия", ""
            ) and "ГОТОВО С ОГОВОРКАМИ" in by.get("Кардиология", "")

        await wait_for(pilot, turned)
        assert "✗" not in therapy_card(app) and "оговорка" not in therapy_card(app)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_readiness_snapshot(
    snap_compare: Callable[..., bool], home: Path, size: tuple[int, int]
) -> None:
    assert snap_compare(tui_app(tui_settings(home)), terminal_size=size, run_before=_open_readiness)


def therapy_card(app: FrmrApp) -> str:
    return next(c for c in cards(app) if c.startswith("Терапия"))


async def choose(pilot: Pilot[None], label_part: str) -> None:
    """Pick the option of the open menu whose text holds `label_part`, as a person would:
    move the highlight onto it and press Enter."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, MenuScreen))
    options = app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    options.highlighted = next(i for i, p in enumerate(prompts) if label_part in p)
    await pilot.press("enter")


@pytest.mark.anyio
async def test_t_tags_a_file_with_the_item_it_covers_and_the_checklist_follows(
    home: Path, tmp_path: Path
) -> None:
    scan = tmp_path / "scan-0001.pdf"
    scan.write_bytes(text_pdf(["employment record"]))
    with open_account(tui_settings(home)) as account:
        import_file(account, scan)
    app = tui_app(tui_settings(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_readiness(pilot)
        # A name that says nothing: no item is guessed, the трудовая книжка is missing.
        assert "○ трудовая" in therapy_card(app)
        await pilot.press("t")
        await choose(pilot, "scan-0001.pdf — не определено")
        await choose(pilot, "Трудовая книжка или сведения о трудовой деятельности")
        await wait_for(pilot, lambda: "✓ трудовая" in therapy_card(app))
        account = app.account
        assert account is not None
        from frmr.model.readiness.from_store import checklist_documents

        tagged = [(d.file_name, d.tag) for d in checklist_documents(account) if d.tag]
        assert tagged == [("scan-0001.pdf", "employment")]
        # And back to the guess from the name, which finds nothing.
        await pilot.press("t")
        await choose(pilot, "scan-0001.pdf — трудовая (отмечено)")
        await choose(pilot, "Определять по имени файла")
        await wait_for(pilot, lambda: "○ трудовая" in therapy_card(app))


@pytest.mark.anyio
async def test_e_ends_the_report_period_on_the_dismissal_day_and_the_verdict_turns(
    home: Path,
) -> None:
    with open_account(tui_settings(home)) as account:
        job = listed(account, "employment")[0]
        update_row(account, "employment", job.id, {"end_date": "31.10.2026"})
    app = tui_app(tui_settings(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_readiness(pilot)
        therapy = therapy_card(app)
        assert "Дата увольнения" in key_line(app)
        assert "НЕ ГОТОВО" in therapy
        assert "Несогласованное портфолио: вы не работаете с 31.10.2026" in therapy
        await pilot.press("e")
        await wait_for(pilot, lambda: "ГОТОВО С ОГОВОРКАМИ" in therapy_card(app))
        account = app.account
        assert account is not None
        report = load_report(account, TODAY).report
        assert str(report.period_end) == "2026-10-31" and not report.agreed
        assert "Несогласованное портфолио" not in therapy_card(app)
        await wait_for(pilot, lambda: "Дата увольнения" not in key_line(app))


def key_line(app: FrmrApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.anyio
async def test_e_is_not_offered_to_a_worker_at_work(home: Path) -> None:
    app = tui_app(tui_settings(home))
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_readiness(pilot)
        assert "Отметить файл" in key_line(app) and "Дата увольнения" not in key_line(app)
        before = cards(app)
        await pilot.press("e")
        await quiet(pilot)
        assert cards(app) == before and isinstance(app.screen, ReadinessScreen)


@pytest.mark.anyio
@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_wrapped_finding_keeps_its_indent(home: Path, size: tuple[int, int]) -> None:
    """Read off the screen: every line of a card's findings, wrapped or not, starts under
    the card's text, none at the card's edge."""
    app = tui_app(tui_settings(home))
    async with app.run_test(size=size) as pilot:
        await _open_readiness(pilot)
        card = app.screen.query(ReadinessCard).first()
        region = card.content_region
        rows = [strip.text for strip in app.screen._compositor.render_strips()]
        lines = [
            rows[y][region.x : region.right]
            for y in range(region.y, min(region.bottom, app.size.height - 2))
        ]
        # The heading (specialty, route, verdict) may wrap; the card's lines follow it.
        start = next(i for i, line in enumerate(lines) if line.startswith("  "))
        body = [line for line in lines[start:] if line.strip()]
        assert len(body) > 5, lines
        assert all(line.startswith("  ") for line in body), "\n".join(lines)
        # A finding's wrap goes under its text, past its mark.
        marked = [i for i, line in enumerate(lines) if line.startswith("  ✗ ")]
        wrapped = [
            lines[i + 1]
            for i in marked
            if i + 1 < len(lines) and lines[i + 1].strip() and not lines[i + 1][2:4].strip()
        ]
        assert all(line.startswith("    ") for line in wrapped), "\n".join(lines)
