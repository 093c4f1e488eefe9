"""Producing the report on professional activity: PDF and DOCX of a full report.

A full report: every fact and all seven blocks filled with about 2,000 characters each
(≈14,000 characters, five to six pages), in a store of its own. Each figure is the
median of several runs of the public functions the CLI and the TUI call
(`produce_pdf`, `produce_docx`: read the store, refresh the facts, lay out, write the
file):

- cold: a fresh interpreter per run, the clock from just before the call, so the lazy
  import of fpdf2 / python-docx and the font's first parse are inside it — what a person
  waits for the first time;
- cold, store loaded: the same, with `frmr.model.report` (and so SQLModel and the tables)
  imported before the clock, as it is wherever a report is produced: `frmr report pdf`
  imports it with its command group and the TUI has the store open; the plain cold line
  charges that import (≈ 0.3 s CPU) to the report;
- warm: the same process producing again;
- `frmr report pdf`: the whole command in a fresh process (interpreter, CLI, store,
  report), wall and CPU (the child's rusage) — what a person at the terminal waits for.

Wall time and the process's CPU time are both printed: on a shared machine the wall time
is mostly waiting for a core; the CPU time is what an idle machine's wall time would be.

With `--baseline DIR` (a checkout of another commit, e.g. `git worktree add DIR main`)
every figure is also taken for that checkout, run for run alternately in the same
invocation, so both columns see the same load.

A stress line makes the duties block 20,000 characters (the wire contract's limit).
Target: ≤ 1 s each. Also prints which report libraries `frmr.tui.app` loads (none).

    .venv/bin/python bench/report_output.py [--baseline DIR] [runs]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PARAGRAPH = (
    "Проводит приём пациентов терапевтического участка, обследование и лечение в "
    "соответствии с клиническими рекомендациями, диспансерное наблюдение пациентов с "
    "хроническими неинфекционными заболеваниями, экспертизу временной нетрудоспособности. "
)

# The checkout to measure comes first on sys.path: it wins over the editable install.
CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[5])
from pathlib import Path
from frmr.model.account import open_account
from frmr.model.settings import load_settings

home, kind, out_dir, runs = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
account = open_account(load_settings(home=Path(home)))
if sys.argv[6] == "store":
    import frmr.model.report
times, cpu = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    from frmr.model.report_output import produce_docx, produce_pdf
    produced = (produce_pdf if kind == "pdf" else produce_docx)(account, out_dir)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
size = produced.path.stat().st_size
print(json.dumps({"times": times, "cpu": cpu, "pages": produced.pages, "size": size}))
"""

IMPORTS_CHILD = r"""
import sys
import frmr.tui.app, frmr.tui.screens.report
print(sorted(m for m in ("fpdf", "docx", "fontTools", "PIL") if m in sys.modules))
"""


def _fill(home: Path, block_chars: int, duties_chars: int) -> None:
    from frmr.model.account import open_account
    from frmr.model.actions.portfolio import add_row
    from frmr.model.actions.profile import update_profile
    from frmr.model.report import update_report
    from frmr.model.report_fields import BLOCKS
    from frmr.model.settings import load_settings

    with open_account(load_settings(home=home)) as account:
        update_profile(
            account, {"last_name": "Иванова", "first_name": "Мария", "patronymic": "Петровна"}
        )
        add_row(
            account,
            "employment",
            {
                "organization": "ГБУЗ «Городская клиническая больница № 1»",
                "department": "Терапевтическое отделение поликлиники",
                "position": "Врач-терапевт участковый",
                "position_type": "main",
                "begin_date": "01.09.2014",
            },
        )
        text = (PARAGRAPH * (block_chars // len(PARAGRAPH) + 1))[:block_chars].rsplit(" ", 1)[0]
        values = {b.name: text.replace(". ", ".\n", 3) for b in BLOCKS}
        values["duties"] = (PARAGRAPH * (duties_chars // len(PARAGRAPH) + 1))[:duties_chars]
        values.update(signer_name="Сидоров Алексей Николаевич", signer_position="Главный врач")
        update_report(account, values)


ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}


def _child(home: Path, kind: str, runs: int, checkout: Path, mode: str) -> dict[str, object]:
    out = home / "out"
    out.mkdir(exist_ok=True)
    answer = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), kind, str(out), str(runs), str(checkout), mode],
        check=True,
        capture_output=True,
        text=True,
        env=ENV,
    )
    result: dict[str, object] = json.loads(answer.stdout)
    return result


def _cli(home: Path, checkout: Path) -> tuple[float, float]:
    """`frmr report pdf` as a person runs it: wall and CPU of the whole child process."""
    out = home / "out"
    out.mkdir(exist_ok=True)
    code = (
        f"import sys; sys.path.insert(0, {str(checkout)!r}); from frmr.cli.main import main; main()"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code, "report", "pdf", "-o", str(out)],
        check=True,
        capture_output=True,
        env={**ENV, "FRMR_HOME": str(home)},
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _figures(
    home: Path, kind: str, runs: int, checkouts: list[Path], *, full: bool
) -> list[dict[str, float]]:
    """Per checkout: medians of `runs` fresh processes each, taken alternately.

    The store-loaded and whole-command lines are taken for the target (the full report's
    PDF) only, to keep the run near a minute on a shared machine.
    """
    modes = ("plain", "store") if full and kind == "pdf" else ("plain",)
    samples: list[dict[str, list[float]]] = [{} for _ in checkouts]
    for _ in range(runs):
        for checkout, got in zip(checkouts, samples, strict=True):
            for mode in modes:
                r = _child(home, kind, 1, checkout, mode)
                got.setdefault(mode, []).append(r["times"][0])  # type: ignore[index]
                got.setdefault(f"{mode}_cpu", []).append(r["cpu"][0])  # type: ignore[index]
            if full and kind == "pdf":
                wall, cpu = _cli(home, checkout)
                got.setdefault("cli", []).append(wall)
                got.setdefault("cli_cpu", []).append(cpu)
    figures = []
    for checkout, got in zip(checkouts, samples, strict=True):
        warm = _child(home, kind, runs + 1, checkout, "plain")
        f = {name: statistics.median(values) for name, values in got.items()}
        f["warm"] = statistics.median(warm["times"][1:])  # type: ignore[index]
        f["warm_cpu"] = statistics.median(warm["cpu"][1:])  # type: ignore[index]
        f["pages"] = float(warm["pages"] or 0)  # type: ignore[arg-type]
        f["size"] = float(warm["size"])  # type: ignore[arg-type]
        figures.append(f)
    return figures


def _ms(f: dict[str, float], name: str) -> str:
    return f"{f[name] * 1000:5.0f} ({f[name + '_cpu'] * 1000:4.0f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to measure alongside")
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    names = ["this"] + (["baseline"] if args.baseline else [])
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print("ms, wall (CPU); medians of", args.runs, "runs")
    for label, block, duties in (
        ("full report (7 × 2,000 chars)", 2000, 2000),
        ("stress (duties 20,000 chars)", 2000, 20000),
    ):
        full = duties == block
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            _fill(home, block, duties)
            for kind in ("pdf", "docx"):
                # The baseline is measured where the target is: the full report's PDF.
                these = checkouts if full and kind == "pdf" else checkouts[:1]
                figures = _figures(home, kind, args.runs, these, full=full)
                for name, f in zip(names, figures, strict=False):
                    pages = f", {int(f['pages'])} pages" if f["pages"] else ""
                    store = f"  cold, store loaded {_ms(f, 'store')}" if "store" in f else ""
                    cli = f"  frmr report pdf {_ms(f, 'cli')}" if "cli" in f else ""
                    print(
                        f"{label:30} {kind:4} {name:8} cold {_ms(f, 'plain')}{store}  "
                        f"warm {_ms(f, 'warm')}{cli}  {int(f['size']) // 1024} KiB{pages}"
                    )
    loaded = subprocess.run(
        [sys.executable, "-c", IMPORTS_CHILD], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"report libraries loaded by frmr.tui.app and the report screen: {loaded}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
