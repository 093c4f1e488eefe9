"""The intake's writer check (daemon/writers.py): CPU of one look at N quiet files, by the
kernel's read lease and by the walk of every process's open files in /proc it replaced, in
the same run (alternating, so the machine's load falls on both alike).

    .venv/bin/python bench/writer_check.py [N] [LOOKS]
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.daemon.writers import PROC, _held_in_proc, open_for_writing


def main() -> None:
    files = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    looks = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"scan-{i}.pdf" for i in range(files)]
        for path in paths:
            path.write_bytes(b"%PDF-1.7\n%%EOF\n")
        held = paths[0].open("ab")  # one writer, so both find something
        try:
            lease: list[float] = []
            walk: list[float] = []
            for _ in range(looks):
                for way, times in ((open_for_writing, lease), (_held_in_proc, walk)):
                    start = time.process_time()
                    found = way(paths, PROC)
                    times.append(time.process_time() - start)
                    assert way is _held_in_proc or found == {paths[0]}
        finally:
            held.close()
    pids = [p for p in os.listdir(PROC) if p.isdigit()]
    fds = 0
    for pid in pids:
        with contextlib.suppress(OSError):  # gone, or another user's
            fds += len(os.listdir(PROC / pid / "fd"))
    print(f"{files} files, {looks} looks, {len(pids)} processes, {fds} open files visible")
    for name, times in (("read lease", lease), ("/proc walk", walk)):
        print(f"  {name}: median {statistics.median(times) * 1e3:.2f} ms CPU a look")


if __name__ == "__main__":
    main()
