"""Intake throughput and latency: N files (100 KB–2 MB) dropped at once into the watched
folder of a running daemon, next to `sha256sum` + `cp` of the same files in the same run.

    .venv/bin/python bench/daemon_intake.py [N] [RATE]

With RATE (files per second) the copy-in is paced, as a network copy is: 100 files/s of
these sizes is about what scp over a gigabit link delivers. Without it the files are
copied as fast as the page cache takes them, which on this machine outruns what the disk
can write durably; the copy-in time is printed next to the figures for that reason.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.daemon import control_client
from frmr.model.settings import load_settings
from tests.samples import pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else None
    base = Path(tempfile.mkdtemp(prefix="frmr-bench-"))
    os.environ.update(FRMR_HOME=str(base / "home"), FRMR_CONFIG=str(base / "c.toml"))
    os.environ.pop("FRMR_REGISTRY_URL", None)
    settings = load_settings()
    rng = random.Random(1)
    source = base / "source"
    source.mkdir()
    for i in range(count):
        size = rng.randint(100_000, 2_000_000)
        # Whole PDFs (the intake holds a file without its end marks): a parseable skeleton
        # padded to the size by a stream nothing draws.
        (source / f"f{i:04}.pdf").write_bytes(pdf_bytes(size, f"bench {i}"))
    files = sorted(source.iterdir())

    # Each timed phase starts with nothing dirty in the page cache, so neither pays for the
    # writeback of what the phase before it wrote.
    os.sync()
    started = time.monotonic()
    subprocess.run(["sha256sum", *map(str, files)], check=True, stdout=subprocess.DEVNULL)
    copy = base / "copy"
    copy.mkdir()
    subprocess.run(["cp", *map(str, files), str(copy)], check=True)
    baseline = time.monotonic() - started

    os.sync()
    daemon = DaemonProcess(settings, env={"FRMR_SETTLE_SECONDS": str(settings.settle_seconds)})
    daemon.start()
    imported: dict[str, datetime] = {}

    def listen() -> None:
        for event in control_client.subscribe(settings.control_socket):
            if event.event == "file_imported" and event.path is not None:
                imported[Path(event.path).name] = event.at

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(0.5)
    closed: dict[str, float] = {}
    started = time.monotonic()
    for i, path in enumerate(files):
        if rate is not None:
            time.sleep(max(0.0, started + i / rate - time.monotonic()))
        target = settings.documents_dir / path.name
        shutil.copyfile(path, target)
        closed[path.name] = time.time()
    copied = time.monotonic() - started
    wait_for(lambda: len(imported) >= count, timeout=3600, step=0.2)
    elapsed = time.monotonic() - started
    daemon.terminate()
    latencies = sorted(imported[n].timestamp() - closed[n] for n in closed)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    pace = f"paced at {rate:g} files/s" if rate is not None else "as fast as cp"
    print(f"files: {count} ({pace}), settle window {settings.settle_seconds} s")
    print(f"sha256sum + cp: {baseline:.2f} s")
    print(
        f"daemon intake:  {elapsed:.2f} s ({elapsed / baseline:.2f}x), the copy-in {copied:.2f} s"
    )
    print(f"close→imported: p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s")
    shutil.rmtree(base)


if __name__ == "__main__":
    main()
