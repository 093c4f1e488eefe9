"""Other employees' uploads while the registry is under a bounded hostile load (issue 21).

A real `frmr-registry serve` (one uvicorn worker, default settings) on loopback. First the
baseline: honest 256 KiB uploads from three employees, one at a time, unloaded. Then the
same uploads while one employee holds two uploads sent at a byte every two seconds and
three unauthenticated 500 MB bodies go to /api/v1/auth/login (two with Content-Length,
one chunked). Reports statuses, latencies and the server's resident memory.

    .venv/bin/python bench/registry_hostile_load.py [--uploads 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.registry.conftest import start_server, stop_server
from tests.support.hostile_load import (
    big_body,
    employee_tokens,
    rss_kib,
    slow_upload,
    upload,
)


def _uploads(url: str, tokens: list[str], count: int) -> list[tuple[int, float]]:
    return [upload(url, tokens[i % len(tokens)]) for i in range(count)]


def _row(name: str, results: list[tuple[int, float]]) -> str:
    times = sorted(t * 1000 for _, t in results)
    ok = sum(1 for status, _ in results if 200 <= status < 300)
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return (
        f"| {name} | {ok}/{len(results)} | {statistics.median(times):.1f} ms | "
        f"{p95:.1f} ms | {times[-1]:.1f} ms |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server = start_server(f"sqlite:///{workdir / 'r.db'}", workdir)
        try:
            hostile, *others = employee_tokens(server.url, server.db_url, 4)
            _uploads(server.url, others, 3)  # warm: first-request imports and connections
            rss_before = rss_kib(server.process.pid)[0]
            baseline = _uploads(server.url, others, args.uploads)
            stop = threading.Event()
            with ThreadPoolExecutor(8) as pool:
                holding = threading.Event()
                slow = [pool.submit(slow_upload, server.url, hostile, stop, holding)]
                holding.wait()
                slow.append(pool.submit(slow_upload, server.url, hostile, stop))
                bigs = [pool.submit(big_body, server.url, chunked=i == 2) for i in range(3)]
                loaded = _uploads(server.url, others, args.uploads)
                held_during = not slow[0].done()
                slow_answers = [s.result() for s in slow]
                big_answers = [b.result() for b in bigs]
            rss_now, rss_peak = rss_kib(server.process.pid)
        finally:
            stop_server(server)
    print("| uploads of 256 KiB | 2xx | median | p95 | max |")
    print("|---|---|---|---|---|")
    print(_row("unloaded (baseline)", baseline))
    print(_row("under the hostile load", loaded))
    print()
    print(f"first slow upload still held while the others uploaded: {held_during}")
    for i, a in enumerate(slow_answers):
        print(f"slow upload {i + 1}: {a.status} {a.body.get('code')} after {a.sent} bytes sent")
    for i, a in enumerate(big_answers):
        print(
            f"500 MB body {i + 1} ({'chunked' if i == 2 else 'Content-Length'}): "
            f"{a.status} {a.body.get('code')}, {a.sent / 1024:.0f} KiB sent {a.ended}"
        )
    print(
        f"server RSS: before {rss_before / 1024:.0f} MiB, after {rss_now / 1024:.0f} MiB, "
        f"peak {rss_peak / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
