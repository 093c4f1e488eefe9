"""Whether a dropped file is still open for writing: the kernel's read lease answers for a
file at once; /proc answers where no lease can be had."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from frmr.daemon.writers import open_for_writing


@contextmanager
def holding(path: Path, redirect: str) -> Iterator[None]:
    """A shell that holds `path` open (`>>` to write, `<` to read) until told to end."""
    shell = subprocess.Popen(
        ["sh", "-c", f'exec 3{redirect}"$1"; echo held; read _', "sh", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert shell.stdout is not None and shell.stdin is not None
    try:
        assert shell.stdout.readline() == "held\n"
        yield
    finally:
        shell.stdin.close()
        shell.wait(timeout=10)


def test_the_kernel_says_which_files_a_process_holds_open_for_writing(tmp_path: Path) -> None:
    written, read, idle = (tmp_path / n for n in ("written.pdf", "read.pdf", "idle.pdf"))
    for path in (written, read, idle):
        path.write_bytes(b"%PDF-1.7\n")
    # An empty /proc: what is found here, the lease alone found.
    no_proc = tmp_path / "proc"
    no_proc.mkdir()
    with holding(written, ">>"), holding(read, "<"):
        assert open_for_writing([written, read, idle], no_proc) == {written}
    assert open_for_writing([written, read, idle], no_proc) == set()
    # This process is a writer like any other.
    with idle.open("ab"):
        assert open_for_writing([idle], no_proc) == {idle}


def test_where_no_lease_can_be_had_proc_says(tmp_path: Path) -> None:
    # The kernel leases regular files only: a FIFO stands for another user's file or a
    # filesystem without leases.
    written, read = tmp_path / "written", tmp_path / "read"
    os.mkfifo(written)
    os.mkfifo(read)
    proc = tmp_path / "proc"
    for fd, (path, flags) in enumerate([(written, "0100001"), (read, "0100000")], 3):
        (proc / "4242" / "fd").mkdir(parents=True, exist_ok=True)
        (proc / "4242" / "fdinfo").mkdir(exist_ok=True)
        (proc / "4242" / "fd" / str(fd)).symlink_to(path)
        (proc / "4242" / "fdinfo" / str(fd)).write_text(f"pos:\t0\nflags:\t{flags}\n")
    assert open_for_writing([written, read], proc) == {written}
