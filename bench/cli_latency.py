"""The `frmr` CLI's cost per call, as a script calling it in a loop pays it.

Whole-process CPU (user + sys of the child, from os.wait4's rusage) and wall time, median
of RUNS fresh processes per command, commands alternated so background load spreads
evenly, next to `python -c pass` of the same interpreter in the same run. The store holds
a filled card and 20 applications, 5 of them with two attachments; it is created and
migrated before the clock starts, so every timed call finds it current.

Targets (issue 9): `frmr apps list --json`, `frmr profile show --json` and
`frmr readiness --json` ≤ 0.25 s CPU each, `frmr --help` ≤ 0.15 s. The portfolio holds two
accreditations, a job and four courses, so readiness evaluates two specialties in full.

Also timed, without a target (issue 23: what the test suite and a script pay for each
process): the write commands (a card field saved, one refused, a draft added), `frmr login`
against a registry that is not listening (everything but the network), the registry's
operator commands (`seed-demo`, a usage error), and `frmr-registry serve` from its start to
its first /health answer and a SIGTERM stop.

The children may write bytecode (PYTHONDONTWRITEBYTECODE is dropped from their
environment) and run once untimed, as an installed frmr has its .pyc files; otherwise every
call would compile frmr's sources. Give the bin folder of another checkout's venv (say, an
older commit's) to time its `frmr` in the same run, under the same load:

    .venv/bin/python bench/cli_latency.py [runs] [other-venv-bin]
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frmr.model.store.account import Account

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

APPLICATIONS = 20
WITH_ATTACHMENTS = 5

# Name: (tool, arguments); "{base}" is the run's temporary folder.
CALLS = {
    "frmr --help": ("frmr", ["--help"]),
    "frmr apps list --json": ("frmr", ["apps", "list", "--json"]),
    "frmr profile show --json": ("frmr", ["profile", "show", "--json"]),
    "frmr readiness --json": ("frmr", ["readiness", "--json"]),
    "frmr profile set (saved)": ("frmr", ["profile", "set", "last_name", "Иванова"]),
    "frmr profile set (refused)": ("frmr", ["profile", "set", "snils", "112-233-445 96"]),
    "frmr apps new": (
        "frmr",
        ["apps", "new", "--specialty", "Терапия", "--phone", "+79123456789", "--email", "a@b.ru"],
    ),
    "frmr login (no registry)": (
        "frmr",
        ["login", "--login-file", "{base}/login", "--password-stdin"],
    ),
    "frmr-registry seed-demo": (
        "frmr-registry",
        ["seed-demo", "--db", "{base}/registry.db", "--password-file", "{base}/password"],
    ),
    "frmr-registry usage error": ("frmr-registry", ["serve", "--port", "x"]),
    "frmr-registry serve to /health": ("frmr-registry", ["serve"]),
}
SERVE = "frmr-registry serve to /health"


def commands(other_bin: Path | None, base: Path) -> dict[str, list[str]]:
    found = {"python -c pass": [sys.executable, "-c", "pass"]}
    for label, binary in (("", Path(sys.executable).parent), ("other: ", other_bin)):
        if binary is not None:
            for name, (tool, args) in CALLS.items():
                argv = [str(binary / tool), *(a.replace("{base}", str(base)) for a in args)]
                found[label + name] = argv
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


# What each call answers when it works: readiness says "not ready" (1) for this portfolio; a
# refused value, a usage error and a login with no registry to reach are 2 by design.
EXPECTED_EXIT = {
    "frmr readiness --json": 1,
    "frmr profile set (refused)": 2,
    "frmr login (no registry)": 2,
    "frmr-registry usage error": 2,
}


def run_once(name: str, argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process, output discarded."""
    if name.removeprefix("other: ") == SERVE:
        return serve_once(argv, env)
    start = time.perf_counter()
    child = subprocess.Popen(
        argv,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stdin is not None and child.stderr is not None
    child.stdin.write(b"password\n")
    child.stdin.close()
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != EXPECTED_EXIT.get(name.removeprefix("other: "), 0):
        raise SystemExit(f"{argv} failed ({child.returncode}): {errors.decode()}")
    return usage.ru_utime + usage.ru_stime, wall


def serve_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """`frmr-registry serve` on a free port: started, asked /health until it answers, stopped
    with SIGTERM; its CPU from start to exit, and the wall time to the first answer."""
    base = Path(env["FRMR_BENCH_BASE"])
    port_file = base / "port"
    port_file.unlink(missing_ok=True)
    argv = [*argv, "--db", str(base / "served.db"), "--port", "0", "--port-file", str(port_file)]
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        if child.poll() is not None:
            assert child.stderr is not None
            raise SystemExit(f"{argv} exited: {child.stderr.read().decode()}")
        port = port_file.read_text() if port_file.exists() else ""
        if port:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=5):
                    break
            except OSError:
                pass
        time.sleep(0.01)
    wall = time.perf_counter() - start
    child.send_signal(signal.SIGTERM)
    _, _, usage = os.wait4(child.pid, 0)
    assert child.stderr is not None
    child.stderr.close()
    return usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    other_bin = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        calls = commands(other_bin, base)
        home, files = base / "home", base / "files"
        files.mkdir()
        (base / "login").write_text("112-233-445 95\n", encoding="utf-8")
        (base / "password").write_text("demo-password\n", encoding="utf-8")
        env = {
            **os.environ,
            "FRMR_HOME": str(home),
            "FRMR_CONFIG": str(base / "absent.toml"),
            # Port 9 (discard) on loopback: nothing listens, the login fails at connecting.
            "FRMR_REGISTRY_URL": "http://127.0.0.1:9",
            "FRMR_REGISTRY_ADMIN_TOKEN": "bench-admin-token",
            "FRMR_BENCH_BASE": str(base),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        build_store(home, files)
        cpu: dict[str, list[float]] = {name: [] for name in calls}
        wall: dict[str, list[float]] = {name: [] for name in calls}
        for name, argv in calls.items():  # bytecode and page cache, untimed
            run_once(name, argv, env)
        for _ in range(runs):
            for name, argv in calls.items():
                c, w = run_once(name, argv, env)
                cpu[name].append(c)
                wall[name].append(w)
    load = os.getloadavg()[0]
    print(f"{runs} runs each, medians; load average at the end {load:.1f}")
    print(f"{'command':<45} {'CPU s':>7} {'wall s':>7}  target")
    for name in calls:
        c, w = statistics.median(cpu[name]), statistics.median(wall[name])
        target = TARGETS.get(name.removeprefix("other: "))
        verdict = "" if target is None else f"≤ {target:.2f} {'met' if c <= target else 'MISSED'}"
        print(f"{name:<45} {c:7.3f} {w:7.3f}  {verdict}")


if __name__ == "__main__":
    main()
