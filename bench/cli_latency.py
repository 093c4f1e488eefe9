"""The `frmr` CLI's cost per call, as a script calling it in a loop pays it.

Whole-process CPU (user + sys of the child, from os.wait4's rusage) and wall time, median
of RUNS fresh processes per command, commands alternated so background load spreads
evenly, next to `python -c pass` of the same interpreter in the same run. The store holds
a filled card and 20 applications, 5 of them with two attachments; it is created and
migrated before the clock starts, so every timed call finds it current.

Targets (issue 9): `frmr apps list --json`, `frmr profile show --json` and
`frmr readiness --json` ≤ 0.25 s CPU each, `frmr --help` ≤ 0.15 s. The portfolio holds two
accreditations, a job and four courses, so readiness evaluates two specialties in full.

The children may write bytecode (PYTHONDONTWRITEBYTECODE is dropped from their
environment) and run once untimed, as an installed frmr has its .pyc files; otherwise every
call would compile frmr's sources. Give the bin folder of another checkout's venv (say, an
older commit's) to time its `frmr` in the same run, under the same load:

    .venv/bin/python bench/cli_latency.py [runs] [other-venv-bin]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frmr.model.store.account import Account

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

APPLICATIONS = 20
WITH_ATTACHMENTS = 5

FRMR_CALLS = {
    "frmr --help": ["--help"],
    "frmr apps list --json": ["apps", "list", "--json"],
    "frmr profile show --json": ["profile", "show", "--json"],
    "frmr readiness --json": ["readiness", "--json"],
}


def commands(other_bin: Path | None) -> dict[str, list[str]]:
    found = {"python -c pass": [sys.executable, "-c", "pass"]}
    for label, binary in (("", Path(sys.executable).parent), ("other: ", other_bin)):
        if binary is not None:
            for name, args in FRMR_CALLS.items():
                found[label + name] = [str(binary / "frmr"), *args]
    return found


TARGETS = {
    "frmr --help": 0.15,
    "frmr apps list --json": 0.25,
    "frmr profile show --json": 0.25,
    "frmr readiness --json": 0.25,
}


def build_store(home: Path, files: Path) -> None:
    from frmr.model.applications.lifecycle import new_application
    from frmr.model.documents.library import attach_files
    from frmr.model.store.account import open_account
    from frmr.model.store.settings import load_settings
    from tests.samples import make_pdf
    from tests.tui.support import fill_card

    with open_account(load_settings(home=home)) as account:
        fill_card(account)
        fill_portfolio(account)
        for i in range(APPLICATIONS):
            view = new_application(
                account, specialty="Терапия", phone="+79123456789", email="a@example.ru"
            )
            if i < WITH_ATTACHMENTS:
                pdfs = [make_pdf(files / f"scan-{i}-{j}.pdf", 4096) for j in range(2)]
                attach_files(account, view.app.id, pdfs)


def fill_portfolio(account: Account) -> None:
    from frmr.model.portfolio.edits import add_row

    add_row(
        account,
        "employment",
        {"organization": "ГКБ № 1", "position": "Врач-терапевт", "position_type": "main",
         "begin_date": "01.09.2015"},
    )  # fmt: skip
    for number, specialty in (("1", "Терапия"), ("2", "Кардиология")):
        add_row(
            account,
            "certificates",
            {"number": number, "kind": "accreditation", "specialty_name": specialty,
             "pass_date": "01.03.2022", "end_date": "01.03.2027"},
        )  # fmt: skip
    for i, kind in enumerate(("dpp_pk", "nmo_event", "nmo_event", "nmo_module")):
        add_row(
            account,
            "courses",
            {"theme": f"Курс {i}", "kind": kind, "specialty": "Терапия",
             "institution": "РМАНПО", "hours": "36", "begin_date": f"0{i + 1}.02.2024",
             "doc_number": f"77240001234{i}"},
        )  # fmt: skip


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process, output discarded."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    # `frmr readiness` answers 1 for "not ready", which this portfolio is.
    if child.returncode not in (0, 1):
        raise SystemExit(f"{argv} failed ({child.returncode}): {errors.decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    other_bin = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    calls = commands(other_bin)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        home, files = base / "home", base / "files"
        files.mkdir()
        env = {
            **os.environ,
            "FRMR_HOME": str(home),
            "FRMR_CONFIG": str(base / "absent.toml"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        build_store(home, files)
        cpu: dict[str, list[float]] = {name: [] for name in calls}
        wall: dict[str, list[float]] = {name: [] for name in calls}
        for argv in calls.values():  # bytecode and page cache, untimed
            run_once(argv, env)
        for _ in range(runs):
            for name, argv in calls.items():
                c, w = run_once(argv, env)
                cpu[name].append(c)
                wall[name].append(w)
    load = os.getloadavg()[0]
    print(f"{runs} runs each, medians; load average at the end {load:.1f}")
    print(f"{'command':<35} {'CPU s':>7} {'wall s':>7}  target")
    for name in calls:
        c, w = statistics.median(cpu[name]), statistics.median(wall[name])
        target = TARGETS.get(name.removeprefix("other: "))
        verdict = "" if target is None else f"≤ {target:.2f} {'met' if c <= target else 'MISSED'}"
        print(f"{name:<35} {c:7.3f} {w:7.3f}  {verdict}")


if __name__ == "__main__":
    main()
