"""Producing the report on professional activity: PDF and DOCX of a full report.

A full report: every fact and all seven blocks filled with about 2,000 characters each
(≈14,000 characters, five to six pages), in a store of its own. Each figure is the
median of several fresh processes:

- cold: a fresh interpreter with the store open through the ORM (as the TUI has it), the
  clock from just before `produce_pdf` / `produce_docx` (read the store, refresh the facts,
  lay out, write the file), so importing the report's modules, fpdf2 / python-docx and the
  font's first parse are inside it — what a person waits for the first time;
- cold, store loaded: the same with `frmr.model.report.record` (SQLModel, the tables) imported
  before the clock, as it is in the TUI once a report has been read;
- warm: the same process producing again;
- `frmr report pdf|docx`: the whole command in a fresh process (interpreter, CLI, reading
  the store — sqlite3 alone when the report's facts need no refresh — and the file), wall
  and CPU (the child's rusage): what a person at the terminal waits for. Next to it, the
  same run's `python -c pass`.

Wall time and the process's CPU time are both printed: on a shared machine the wall time
is mostly waiting for a core; the CPU time is what an idle machine's wall time would be.

With `--baseline DIR` (another checkout, e.g. /work/main) every figure is also taken for
that checkout's `src/`, run for run alternately in the same invocation, so both columns see
the same load. The children keep their bytecode under a cache folder of the run
(PYTHONPYCACHEPREFIX), written by one untimed run of each, so nothing is written into either
checkout and no figure includes compiling.

A stress line makes the duties block 20,000 characters (the wire contract's limit), for
this checkout only. Target: ≤ 1 s each. Also prints which report libraries `frmr.tui.app`
loads (none).

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
sys.path.insert(0, str(ROOT / "src"))

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
from frmr.model.store.account import open_account
from frmr.model.store.settings import load_settings

home, kind, out_dir, runs = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
account = open_account(load_settings(home=Path(home)))
if sys.argv[6] == "store":
    import frmr.model.report.record
times, cpu = [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    from frmr.model.report.output import produce_docx, produce_pdf
    produced = (produce_pdf if kind == "pdf" else produce_docx)(account, out_dir)
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
size = produced.path.stat().st_size
import frmr
print(json.dumps({"times": times, "cpu": cpu, "pages": produced.pages, "size": size,
                  "source": frmr.__file__}))
"""

IMPORTS_CHILD = r"""
import sys
import frmr.tui.app, frmr.tui.screens.report
print(sorted(m for m in ("fpdf", "docx", "fontTools", "PIL") if m in sys.modules))
"""


def _fill(home: Path, block_chars: int, duties_chars: int) -> None:
    from frmr.model.portfolio.edits import add_row
    from frmr.model.profile.card import update_profile
    from frmr.model.report.blocks import BLOCKS
    from frmr.model.report.record import update_report
    from frmr.model.store.account import open_account
    from frmr.model.store.settings import load_settings

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


def _source(checkout: Path) -> Path:
    """Where a checkout's `frmr` package is: `src/` (an editable install's .pth points there)."""
    return checkout / "src" if (checkout / "src" / "frmr").is_dir() else checkout


def _env(home: Path, cache: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "FRMR_HOME": str(home),
        "FRMR_CONFIG": str(home.parent / "absent.toml"),
        "PYTHONPYCACHEPREFIX": str(cache),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(
    home: Path, kind: str, runs: int, checkout: Path, mode: str, env: dict[str, str]
) -> dict[str, object]:
    out = home.parent / "out"
    out.mkdir(exist_ok=True)
    answer = subprocess.run(
        [
            *(sys.executable, "-c", CHILD, str(home), kind, str(out), str(runs)),
            *(str(_source(checkout)), mode),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    result: dict[str, object] = json.loads(answer.stdout)
    # A checkout without the package where it is looked for would measure the installed one.
    assert Path(str(result["source"])).is_relative_to(_source(checkout)), result["source"]
    return result


def _timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (the child's rusage) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _cli(home: Path, kind: str, checkout: Path, env: dict[str, str]) -> tuple[float, float]:
    """`frmr report pdf|docx` as a person runs it, from the checkout's sources."""
    out = home.parent / "out"
    out.mkdir(exist_ok=True)
    code = (
        f"import sys; sys.path.insert(0, {str(_source(checkout))!r}); "
        "from frmr.cli.main import main; main()"
    )
    return _timed([sys.executable, "-c", code, "report", kind, "-o", str(out)], env)


def _figures(
    home: Path, kind: str, runs: int, checkouts: list[Path], env: dict[str, str], *, full: bool
) -> list[dict[str, float]]:
    """Per checkout: medians of `runs` fresh processes each, taken alternately.

    The store-loaded and whole-command figures are taken for the full report only, to keep
    the run within a few minutes on a shared machine.
    """
    modes = ("plain", "store") if full else ("plain",)
    for checkout in checkouts:  # bytecode into the run's cache and the page cache, untimed
        for mode in modes:
            _child(home, kind, 1, checkout, mode, env)
        if full:
            _cli(home, kind, checkout, env)
    samples: list[dict[str, list[float]]] = [{} for _ in checkouts]
    for _ in range(runs):
        for checkout, got in zip(checkouts, samples, strict=True):
            for mode in modes:
                r = _child(home, kind, 1, checkout, mode, env)
                got.setdefault(mode, []).append(r["times"][0])  # type: ignore[index]
                got.setdefault(f"{mode}_cpu", []).append(r["cpu"][0])  # type: ignore[index]
            if full:
                wall, cpu = _cli(home, kind, checkout, env)
                got.setdefault("cli", []).append(wall)
                got.setdefault("cli_cpu", []).append(cpu)
    figures = []
    for checkout, got in zip(checkouts, samples, strict=True):
        warm = _child(home, kind, runs + 1, checkout, "plain", env)
        f = {name: statistics.median(values) for name, values in got.items()}
        f["warm"] = statistics.median(warm["times"][1:])  # type: ignore[index]
        f["warm_cpu"] = statistics.median(warm["cpu"][1:])  # type: ignore[index]
        f["pages"] = float(warm["pages"] or 0)  # type: ignore[arg-type]
        f["size"] = float(warm["size"])  # type: ignore[arg-type]
        figures.append(f)
    return figures


def _ms(f: dict[str, float], name: str) -> str:
    return f"{f[name] * 1000:5.0f} ({f[name + '_cpu'] * 1000:4.0f})"


def _interpreter(runs: int, env: dict[str, str]) -> dict[str, float]:
    _timed([sys.executable, "-c", "pass"], env)  # the bytecode cache, untimed
    samples = [_timed([sys.executable, "-c", "pass"], env) for _ in range(runs)]
    return {
        "python": statistics.median(w for w, _ in samples),
        "python_cpu": statistics.median(c for _, c in samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to measure alongside")
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    names = ["this"] + (["baseline"] if args.baseline else [])
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("ms, wall (CPU); medians of", args.runs, "fresh processes")
    for label, block, duties in (
        ("full report (7 × 2,000 chars)", 2000, 2000),
        ("stress (duties 20,000 chars)", 2000, 20000),
    ):
        full = duties == block
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            _fill(home, block, duties)
            env = _env(home, Path(tmp) / "pycache")
            if full:
                print(f"python -c pass {_ms(_interpreter(args.runs, env), 'python')}")
            for kind in ("pdf", "docx"):
                these = checkouts if full else checkouts[:1]
                figures = _figures(home, kind, args.runs, these, env, full=full)
                for name, f in zip(names, figures, strict=False):
                    pages = f", {int(f['pages'])} pages" if f["pages"] else ""
                    store = f"  cold, store loaded {_ms(f, 'store')}" if "store" in f else ""
                    cli = f"  frmr report {kind} {_ms(f, 'cli')}" if "cli" in f else ""
                    print(
                        f"{label:30} {kind:4} {name:8} cold {_ms(f, 'plain')}{store}  "
                        f"warm {_ms(f, 'warm')}{cli}  {int(f['size']) // 1024} KiB{pages}"
                    )
    loaded = subprocess.run(
        [sys.executable, "-c", IMPORTS_CHILD], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"report libraries loaded by frmr.tui.app and the report screen: {loaded}")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
