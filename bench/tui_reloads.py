"""What one write made in frmr-tui costs in reloads, on the store of tui_startup.py (1,000
applications, 5,000 courses), Портфолио open on the courses (Заявления live beneath it).

Each step is followed by a 2.5 s window (two polls of PRAGMA data_version at least), and the
process's CPU time (every thread: the reads run on workers) in it is taken less the same
window's CPU with nothing done, measured in the same run:

- first poll: with Заявления current (the start), a notice of the version the screens have
  already read, as the first poll gave before it found that version unchanged;
- write: a course deleted from the table (the table's own worker, then its report of the
  commit), with every reload it brings, polls included;
- duplicate: the same notice with Портфолио current, as the poll gave after each of the
  app's own writes before a commit was reloaded once (the current screen's reload, the
  header's counts).

The two notices run the code of this tree (the reload path is the same as before the fix);
"before" is write + duplicate.

    .venv/bin/python bench/tui_reloads.py [runs]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WINDOW_SECONDS = 2.5


async def window(pilot: Any) -> float:
    """The process's CPU time (ms) over the window, the UI loop kept turning."""
    cpu = time.process_time()
    end = time.perf_counter() + WINDOW_SECONDS
    while time.perf_counter() < end:
        await pilot.pause(0.05)
    return (time.process_time() - cpu) * 1000


async def measure(runs: int) -> dict[str, list[float]]:
    from bench.tui_startup import COURSES
    from frmr.tui.app import make_app
    from frmr.tui.messages import StoreChanged
    from frmr.tui.screens.base import AccountScreen
    from frmr.tui.widgets.collection import CollectionTable
    from frmr.tui.widgets.rows_view import RowsView

    reloads: Counter[str] = Counter()
    reload = AccountScreen._reload

    def counted(screen: AccountScreen) -> None:
        reloads[type(screen).__name__] += 1
        reload(screen)

    AccountScreen._reload = counted  # type: ignore[method-assign]
    app = make_app(start_services=False, ask_login=False)
    figures: dict[str, list[float]] = {
        "idle at start": [],
        "idle": [],
        "first poll": [],
        "write": [],
        "duplicate": [],
    }
    counts: dict[str, list[int]] = {"first poll": [], "write": [], "duplicate": []}
    async with app.run_test(size=(80, 24)) as pilot:
        while app.account is None:
            await pilot.pause(0.05)
        await window(pilot)
        for _ in range(runs):
            figures["idle at start"].append(await window(pilot))
            reloads.clear()
            app._data_version = None
            app.post_message(StoreChanged(app.account.store.data_version()))
            figures["first poll"].append(await window(pilot))
            counts["first poll"].append(reloads["ApplicationsScreen"])
        await app.switch_mode("portfolio")
        await pilot.press("right")  # Образовательная часть
        table = app.screen.query_one("#collection-courses", CollectionTable)
        while table.query_one(RowsView).row_count < COURSES:
            await pilot.pause(0.05)
        await window(pilot)
        for _ in range(runs):
            figures["idle"].append(await window(pilot))
            reloads.clear()
            table.delete_row(next(iter(table.rows)))
            figures["write"].append(await window(pilot))
            counts["write"].append(reloads["PortfolioScreen"])
            reloads.clear()
            # The version the screens have reloaded at, taken as not yet reloaded: what the
            # old poll did with the app's own write.
            app._data_version = None
            app.post_message(StoreChanged(app.account.store.data_version()))
            figures["duplicate"].append(await window(pilot))
            counts["duplicate"].append(reloads["PortfolioScreen"])
    print("current screen's reloads per step:", {k: sorted(set(v)) for k, v in counts.items()})
    return figures


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    base = Path(tempfile.mkdtemp(prefix="frmr-tui-reloads-"))
    os.environ.update(
        FRMR_HOME=str(base / "home"),
        FRMR_CONFIG=str(base / "config.toml"),
        FRMR_REGISTRY_URL="http://127.0.0.1:9",
        FRMR_RUNTIME_DIR=str(base / "run"),
    )
    from bench.tui_startup import build_store

    build_store(base / "home")
    figures = asyncio.run(measure(runs))
    idles = {name: statistics.median(figures[name]) for name in ("idle at start", "idle")}
    print(
        f"CPU ms in a {WINDOW_SECONDS} s window, median of {runs}, less the same window idle "
        f"(at start {idles['idle at start']:.0f} ms, on Портфолио {idles['idle']:.0f} ms):"
    )
    for name in ("first poll", "write", "duplicate"):
        idle = idles["idle at start" if name == "first poll" else "idle"]
        values = [v - idle for v in figures[name]]
        print(f"  {name:11}{statistics.median(values):6.0f}  (min {min(values):.0f})")
    write = statistics.median(figures["write"]) - idles["idle"]
    duplicate = statistics.median(figures["duplicate"]) - idles["idle"]
    print(
        f"one write: {write:.0f} ms now; {write + duplicate:.0f} ms when the poll reloaded it "
        f"again ({duplicate / (write + duplicate):.0%} saved)"
    )


if __name__ == "__main__":
    main()
