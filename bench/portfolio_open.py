"""Opening Портфолио in frmr-tui over bench/tui_startup.py's store (5,000 courses): from
`switch_mode("portfolio")` to every list, the summary (стаж, hours) and the courses' 5,000
rows on screen, once the account is open. Wall time and CPU time (every thread of the
process), each start in a fresh interpreter, this tree alternated with `--before DIR`'s
(DIR/src first on the path) in the same run; medians and minimums of N.

    .venv/bin/python bench/portfolio_open.py [runs] --before DIR
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import asyncio, json, time
from frmr.tui.app import make_app
from frmr.tui.widgets.collection import CollectionTable
from frmr.tui.widgets.rows_view import RowsView

async def main():
    app = make_app(start_services=False, ask_login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        while app.account is None:
            await pilot.pause(0.02)
        await pilot.pause(1.0)  # the first screen's reads and the account's open settled
        wall, cpu = time.perf_counter(), time.process_time()
        await app.switch_mode("portfolio")
        tables = list(app.screen.query(CollectionTable))
        courses = app.screen.query_one("#collection-courses", CollectionTable)
        hours = app.screen.query_one("#hours")
        while not (
            all(t.spec is not None for t in tables)
            and courses.query_one(RowsView).row_count >= 5000
            and "всего записано" in str(hours.render())
        ):
            await pilot.pause(0.005)
        print(json.dumps({
            "wall": (time.perf_counter() - wall) * 1000,
            "cpu": (time.process_time() - cpu) * 1000,
        }))

asyncio.run(main())
"""


def main() -> None:
    from bench.tui_startup import build_store

    args = sys.argv[1:]
    at = args.index("--before")
    before = Path(args[at + 1]).resolve()
    del args[at : at + 2]
    runs = int(args[0]) if args else 5
    base = Path(tempfile.mkdtemp(prefix="frmr-portfolio-bench-"))
    os.environ.update(
        FRMR_HOME=str(base / "home"),
        FRMR_CONFIG=str(base / "config.toml"),
        FRMR_REGISTRY_URL="http://127.0.0.1:9",
        FRMR_RUNTIME_DIR=str(base / "run"),
    )
    # Bytecode written, as an installed frmr-tui has it (bench/tui_startup.py says why).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    build_store(base / "home")
    trees = {"before": before, "after": ROOT}
    for tree in trees.values():
        folders = [str(p) for p in (tree / "src" / "frmr").iterdir() if p.is_dir()]
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(tree / "src"), *folders],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(runs):
        for name, tree in trees.items():
            env = {**os.environ, "PYTHONPATH": str(tree / "src")}
            done = subprocess.run(
                [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=300
            )
            done.check_returncode()
            figures[name].append(json.loads(done.stdout.splitlines()[-1]))
    print(f"opening Портфолио, {runs} runs each (ms); load average {os.getloadavg()}")
    for name, rows in figures.items():
        wall, cpu = [r["wall"] for r in rows], [r["cpu"] for r in rows]
        print(
            f"  {name:6}  wall median {statistics.median(wall):5.0f} min {min(wall):5.0f}"
            f"   CPU median {statistics.median(cpu):5.0f} min {min(cpu):5.0f}"
        )


if __name__ == "__main__":
    main()
