"""Which files some process still holds open for writing, as the kernel says in /proc.

A quiet file is not a finished one: scp over a slow link stalls for seconds between
packets, a scanner between pages. inotify says when a writer closes a file, but events are
lost (queue overflow, polling, a restart in the middle); the open file table is the truth
they hint at. Processes of other users are not visible to an unprivileged daemon: for
them the close event and the file's own end marks (`model.rules.filetypes.wholeness`) remain.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
# open(2) access modes, the low bits of the `flags:` line of /proc/PID/fdinfo/FD (octal).
_ACCESS_MODE = 0o3
_O_WRONLY = 0o1
_O_RDWR = 0o2


def open_for_writing(paths: Iterable[Path], proc: Path = PROC) -> set[Path]:
    """Those of `paths` that any visible process has open for writing. One walk of /proc
    for all of them: links are compared as bytes, so a name that is not UTF-8 matches too."""
    wanted = {os.fsencode(path): path for path in paths}
    if not wanted:
        return set()
    found: set[Path] = set()
    own = str(os.getpid())
    try:
        pids = [entry for entry in os.scandir(proc) if entry.name.isdigit() and entry.name != own]
    except OSError:
        return found
    for pid in pids:
        fd_dir = os.path.join(pid.path, "fd")
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue  # gone, or another user's
        for fd in fds:
            try:
                target = os.readlink(os.fsencode(os.path.join(fd_dir, fd)))
            except OSError:
                continue
            path = wanted.get(target)
            if path is None or path in found:
                continue
            if _writable(os.path.join(pid.path, "fdinfo", fd)):
                found.add(path)
    return found


def _writable(fdinfo: str) -> bool:
    try:
        with open(fdinfo, encoding="ascii") as info:
            for line in info:
                if line.startswith("flags:"):
                    mode = int(line.split()[1], 8) & _ACCESS_MODE
                    return mode in (_O_WRONLY, _O_RDWR)
    except (OSError, ValueError):
        return False
    return False
