"""Producing the report on professional activity: PDF and DOCX of a full report.

A full report: every fact and all seven blocks filled with about 2,000 characters each
(≈14,000 characters, five to six pages), in a store of its own. Each figure is the
median of several runs of the public functions the CLI and the TUI call
(`produce_pdf`, `produce_docx`: read the store, refresh the facts, lay out, write the
file):

- cold: a fresh interpreter per run, the clock from just before the call, so the lazy
  import of fpdf2 / python-docx and the font's first parse are inside it — what a person
  waits for the first time;
- warm: the same process producing again.

Wall time and the process's CPU time are both printed: on a shared machine the wall time
is mostly waiting for a core; the CPU time is what an idle machine's wall time would be.

A stress line makes the duties block 20,000 characters (the wire contract's limit).
Target: ≤ 1 s each. Also prints which report libraries `frmr.tui.app` loads (none).

    .venv/bin/python bench/report_output.py [runs]
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

PARAGRAPH = (
    "Проводит приём пациентов терапевтического участка, обследование и лечение в "
    "соответствии с клиническими рекомендациями, диспансерное наблюдение пациентов с "
    "хроническими неинфекционными заболеваниями, экспертизу временной нетрудоспособности. "
)

CHILD = r"""
import json, sys, time
from pathlib import Path
from frmr.model.account import open_account
from frmr.model.settings import load_settings

home, kind, out_dir, runs = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
account = open_account(load_settings(home=Path(home)))
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
    from frmr.model.report import BLOCKS, update_report
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


def _run(home: Path, kind: str, runs: int) -> dict[str, float]:
    out = home / "out"
    out.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    cold, cold_cpu = [], []
    for _ in range(runs):
        answer = subprocess.run(
            [sys.executable, "-c", CHILD, str(home), kind, str(out), "1"],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
        result = json.loads(answer.stdout)
        cold.append(result["times"][0])
        cold_cpu.append(result["cpu"][0])
    warm_answer = subprocess.run(
        [sys.executable, "-c", CHILD, str(home), kind, str(out), str(runs + 1)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    warm = json.loads(warm_answer.stdout)
    return {
        "cold": statistics.median(cold),
        "cold_cpu": statistics.median(cold_cpu),
        "warm": statistics.median(warm["times"][1:]),
        "warm_cpu": statistics.median(warm["cpu"][1:]),
        "pages": warm["pages"] or 0,
        "size": warm["size"],
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    for label, block, duties in (
        ("full report (7 × 2,000 chars)", 2000, 2000),
        ("stress (duties 20,000 chars)", 2000, 20000),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            _fill(home, block, duties)
            for kind in ("pdf", "docx"):
                r = _run(home, kind, runs)
                pages = f", {r['pages']} pages" if r["pages"] else ""
                print(
                    f"{label:30} {kind:4} cold {r['cold'] * 1000:5.0f} ms "
                    f"(CPU {r['cold_cpu'] * 1000:4.0f})  warm {r['warm'] * 1000:5.0f} ms "
                    f"(CPU {r['warm_cpu'] * 1000:4.0f})  {int(r['size']) // 1024} KiB{pages}"
                )
    loaded = subprocess.run(
        [sys.executable, "-c", IMPORTS_CHILD], check=True, capture_output=True, text=True
    ).stdout.strip()
    print(f"report libraries loaded by frmr.tui.app and the report screen: {loaded}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
