"""The CPU a doctor's first visit of each screen costs in frmr-tui, and the arrow keys on the
card, this tree against another one (`--before DIR`) in the same run.

Each run is a fresh app over a copy of one seeded store (the card, a job, a course, a
certificate, an address, three applications: tests/tui/support.py's), headless at 80×24 in
one process per tree, the trees' processes alternated. Taken with `time.process_time`, so
every thread counts (the screens read on workers): the app's start until the applications'
full load and the daemon's first status, each mode's first F-key until its workers are done,
the other tabs of Портфолио and Профиль each first shown, and Профиль's card with ten ↓/↑.
As frmr-tui runs (`tui/cli.py`): the collector's thresholds of
`frmr.tui.heap.collect_less_often` where the tree has it, and the stylesheet parsed by
Textual itself (the tests keep parses per worker; a person's app has no such cache).

    .venv/bin/python bench/tui_screens.py [RUNS] [--before DIR]
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = ("portfolio", "profile", "documents", "sync", "readiness")
# The tabs past the first of Портфолио and Профиль, each shown once: since session 10 their
# lists are made then (LazyPane), not with the screen, and their cost moved here.
TABS = {
    "portfolio": ("educational", "additional", "proposed"),
    "profile": ("profile-documents", "addresses"),
}
PHASES = ("start", *MODES, *(f"{mode} tabs" for mode in TABS), "card keys", "total")


async def one_run(seed: Path, home: Path) -> dict[str, float]:
    from textual.widgets import Input, TabbedContent

    from frmr.model.store.settings import load_settings
    from frmr.tui.app import make_app
    from tests.tui.support import TODAY, header_answered, quiet, wait_for

    shutil.copytree(seed, home, symlinks=True)
    settings = load_settings(home=home, runtime_dir=home / "run")
    app = make_app(settings, start_services=False, ask_login=False, today=lambda: TODAY)
    cpu: dict[str, float] = {}
    begin = time.process_time()
    async with app.run_test(size=(80, 24)) as pilot:
        await header_answered(pilot)
        cpu["start"] = time.process_time() - begin
        for mode in MODES:
            at = time.process_time()
            await app.switch_mode(mode)
            await quiet(pilot)
            cpu[mode] = time.process_time() - at
        for mode, tabs in TABS.items():
            await app.switch_mode(mode)
            await quiet(pilot)
            strip = app.screen.query_one(f"#{mode}-tabs", TabbedContent)
            first = strip.active
            at = time.process_time()
            for tab in tabs:
                strip.active = tab
                await quiet(pilot)
            cpu[f"{mode} tabs"] = time.process_time() - at
            strip.active = first
            await quiet(pilot)
        await app.switch_mode("profile")
        await wait_for(pilot, lambda: bool(app.screen.query(Input)))
        await quiet(pilot)
        app.screen.query(Input).first().focus()
        await pilot.pause()
        at = time.process_time()
        for key in ["down"] * 5 + ["up"] * 5:
            await pilot.press(key)
        await pilot.pause()
        cpu["card keys"] = time.process_time() - at
    cpu["total"] = time.process_time() - begin
    return cpu


def child(runs: int, out: Path) -> None:
    """This process's tree (the first on sys.path): `runs` apps, the figures to `out`."""
    from frmr.model.store.account import open_account
    from frmr.model.store.settings import load_settings
    from tests.tui.support import seeded_account

    try:
        from frmr.tui.heap import collect_less_often
    except ImportError:  # a tree from before it
        pass
    else:
        collect_less_often()
    base = Path(tempfile.mkdtemp(prefix="frmr-bench-screens-"))
    seed = base / "seed"
    with open_account(load_settings(home=seed, runtime_dir=seed / "run")) as account:
        seeded_account(account)
    # One app first, unmeasured: the imports and Textual's first parse of each widget's CSS.
    asyncio.run(one_run(seed, base / "warm"))
    results = [asyncio.run(one_run(seed, base / f"run-{n}")) for n in range(runs)]
    out.write_text(json.dumps(results))
    shutil.rmtree(base, ignore_errors=True)


def run_tree(tree: Path, runs: int) -> list[dict[str, float]]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tree / "src"), str(tree)]))
        script = [sys.executable, str(Path(__file__).resolve()), "--child", str(runs), out.name]
        subprocess.run(script, env=env, check=True, cwd=tree)
        results: list[dict[str, float]] = json.loads(Path(out.name).read_text())
    return results


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        child(int(args[1]), Path(args[2]))
        return
    before: Path | None = None
    if "--before" in args:
        at = args.index("--before")
        before = Path(args[at + 1]).resolve()
        del args[at : at + 2]
    runs = int(args[0]) if args else 5
    trees = {"after": ROOT} if before is None else {"before": before, "after": ROOT}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    load: list[float] = []
    # Alternated, a few runs at a time, so both trees see the same machine.
    for _ in range(max(1, runs // 3)):
        for name, tree in trees.items():
            load.append(os.getloadavg()[0])
            results[name] += run_tree(tree, min(3, runs))
    count = len(results["after"])
    print(f"CPU ms, median (min) of {count} apps each; load {min(load):.1f}–{max(load):.1f}")
    print(f"{'':14}" + "".join(f"{name:>18}" for name in trees))
    for phase in PHASES:
        cells = []
        for name in trees:
            values = [run[phase] * 1000 for run in results[name]]
            cells.append(f"{statistics.median(values):9.0f} ({min(values):5.0f})")
        print(f"{phase:14}" + "".join(f"{c:>18}" for c in cells))


if __name__ == "__main__":
    main()
