"""Intake throughput and latency: N files (100 KB–2 MB) dropped at once into the watched
folder of a running daemon, next to `sha256sum` + `cp` of the same files in the same run.

    .venv/bin/python bench/daemon_intake.py [N] [RATE]
    .venv/bin/python bench/daemon_intake.py --auto-pack [N] [RATE]

With RATE (files per second) the copy-in is paced, as a network copy is: 100 files/s of
these sizes is about what scp over a gigabit link delivers. Without it the files are
copied as fast as the page cache takes them, which on this machine outruns what the disk
can write durably; the copy-in time is printed next to the figures for that reason.

`--auto-pack` answers the packing issue's "intake of non-oversized files unaffected
(within 5 %)": the same files go through a daemon with `auto_pack` off and one with it on
(each with a fresh store), in the order off on on off on off off on, so a drift in the
machine's load and a run's place in the order fall on both alike; it prints each run, the
ratio of the medians and whether it is within ±5 %.
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
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.daemon import control_client
from frmr.daemon.intake import staging_workers
from frmr.daemon.prestage import copy_and_check
from frmr.model.store.blobs import BlobStore
from frmr.model.store.settings import load_settings
from tests.samples import pdf_bytes
from tests.support.daemon_process import DaemonProcess, wait_for


def make_files(source: Path, count: int) -> list[Path]:
    rng = random.Random(1)
    source.mkdir()
    for i in range(count):
        size = rng.randint(100_000, 2_000_000)
        # Whole PDFs (the intake holds a file without its end marks): a parseable skeleton
        # padded to the size by a stream nothing draws.
        (source / f"f{i:04}.pdf").write_bytes(pdf_bytes(size, f"bench {i}"))
    return sorted(source.iterdir())


def daemon_intake(
    home: Path, files: list[Path], rate: float | None, env: dict[str, str] | None = None
) -> tuple[float, float, list[float]]:
    """A fresh daemon over ``home`` takes ``files``: (elapsed, copy-in, latencies)."""
    os.environ.update(FRMR_HOME=str(home))
    settings = load_settings()
    os.sync()
    daemon = DaemonProcess(
        settings, env={"FRMR_SETTLE_SECONDS": str(settings.settle_seconds), **(env or {})}
    )
    daemon.start()
    imported: dict[str, datetime] = {}
    subscribed = threading.Event()

    def listen() -> None:
        for event in control_client.subscribe(
            settings.control_socket, on_subscribed=subscribed.set
        ):
            if event.event == "file_imported" and event.path is not None:
                imported[Path(event.path).name] = event.at

    threading.Thread(target=listen, daemon=True).start()
    subscribed.wait(10)
    closed: dict[str, float] = {}
    started = time.monotonic()
    started_at = time.time()
    for i, path in enumerate(files):
        if rate is not None:
            time.sleep(max(0.0, started + i / rate - time.monotonic()))
        target = settings.documents_dir / path.name
        shutil.copyfile(path, target)
        closed[path.name] = time.time()
    copied = time.monotonic() - started
    wait_for(lambda: len(imported) >= len(files), timeout=3600, step=0.2)
    # From the daemon's own stamps: the poll's 0.2 s step would be 10 % of a short run.
    elapsed = max(imported.values()).timestamp() - started_at
    daemon.terminate()
    latencies = sorted(imported[n].timestamp() - closed[n] for n in closed)
    return elapsed, copied, latencies


def durable_floor(folder: Path, files: list[Path]) -> float:
    """What any durable intake must do, alone on the machine: each file copied, hashed,
    fsynced and read back by the daemon's own staging code on as many threads; seconds.
    Paced arrivals faster than this can only queue, whatever the daemon does around it."""
    blobs = BlobStore(folder)
    os.sync()
    started = time.monotonic()
    with ThreadPoolExecutor(staging_workers()) as pool:
        copies = list(pool.map(lambda path: copy_and_check(blobs, path), files))
    elapsed = time.monotonic() - started
    for copy in copies:
        copy.discard()
    return elapsed


def p95(latencies: list[float]) -> float:
    return latencies[int(0.95 * (len(latencies) - 1))]


def auto_pack_check(base: Path, files: list[Path], rate: float | None) -> None:
    """Intake with auto_pack off and on, alternated; the ratio of the medians."""
    runs: dict[str, list[float]] = {"0": [], "1": []}
    # ABBA BAAB: balanced against a drift in the load and against a run's position.
    for n, flag in enumerate(("0", "1", "1", "0", "1", "0", "0", "1")):
        elapsed, copied, latencies = daemon_intake(
            base / f"home-{n}", files, rate, {"FRMR_AUTO_PACK": flag}
        )
        runs[flag].append(elapsed)
        print(
            f"auto_pack {'on ' if flag == '1' else 'off'}: {elapsed:.2f} s "
            f"(copy-in {copied:.2f} s), close→imported p50 {statistics.median(latencies):.2f} s,"
            f" p95 {p95(latencies):.2f} s, load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    ratio = statistics.median(runs["1"]) / statistics.median(runs["0"])
    verdict = "within" if abs(ratio - 1) <= 0.05 else "NOT within"
    print(f"on / off: {ratio:.3f} ({verdict} ±5 %)")


def main() -> None:
    args = sys.argv[1:]
    pack_check = "--auto-pack" in args
    args = [a for a in args if a != "--auto-pack"]
    count = int(args[0]) if args else 1000
    rate = float(args[1]) if len(args) > 1 else None
    base = Path(tempfile.mkdtemp(prefix="frmr-bench-"))
    os.environ.update(FRMR_CONFIG=str(base / "c.toml"))
    os.environ.pop("FRMR_REGISTRY_URL", None)
    files = make_files(base / "source", count)
    pace = f"paced at {rate:g} files/s" if rate is not None else "as fast as cp"
    if pack_check:
        print(f"files: {count} ({pace}), into the library root (none over the limits)")
        auto_pack_check(base, files, rate)
        shutil.rmtree(base)
        return

    # Each timed phase starts with nothing dirty in the page cache, so neither pays for the
    # writeback of what the phase before it wrote.
    os.sync()
    started = time.monotonic()
    subprocess.run(["sha256sum", *map(str, files)], check=True, stdout=subprocess.DEVNULL)
    copy = base / "copy"
    copy.mkdir()
    subprocess.run(["cp", *map(str, files), str(copy)], check=True)
    baseline = time.monotonic() - started

    floor = durable_floor(base / "floor", files)

    elapsed, copied, latencies = daemon_intake(base / "home", files, rate)
    print(f"files: {count} ({pace}), settle window {load_settings().settle_seconds} s")
    print(f"sha256sum + cp: {baseline:.2f} s")
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"durable floor:  {count / floor:.0f} files/s, {mb / floor:.0f} MB/s ({floor:.2f} s): the "
        f"same files staged as the daemon stages them ({staging_workers()} threads), alone"
    )
    if rate is not None:
        # The copy-in writes the same bytes to the same disk while the daemon stages them.
        print(
            f"arrivals:       {rate:g} files/s, {rate * mb / count:.0f} MB/s to write twice "
            "(the copy-in, then the blob)"
        )
    print(
        f"daemon intake:  {elapsed:.2f} s ({elapsed / baseline:.2f}x), the copy-in {copied:.2f} s"
    )
    print(f"close→imported: p50 {statistics.median(latencies):.2f} s, p95 {p95(latencies):.2f} s")
    shutil.rmtree(base)


if __name__ == "__main__":
    main()
