"""Which files some process still holds open for writing, as the kernel says.

A quiet file is not a finished one: scp over a slow link stalls for seconds between
packets, a scanner between pages. inotify says when a writer closes a file, but events are
lost (queue overflow, polling, a restart in the middle); the kernel's count of a file's
writers is the truth they hint at.

The kernel answers for one file at once through a read lease (fcntl(2), F_SETLEASE): it is
refused with EAGAIN while any process, of any user or PID namespace, this one included, has
the file open for writing (fs/locks.c, check_conflicting_open). Leases are taken on files of
the daemon's own user, or any with CAP_LEASE; where the kernel can't give one (another
user's file, a filesystem without leases) every visible process's open files in /proc are
read, as fuser does. Processes of other users are not visible there to an unprivileged
daemon: for them the close event and the file's own end marks
(`model.rules.filetypes.wholeness`) remain.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
# open(2) access modes, the low bits of the `flags:` line of /proc/PID/fdinfo/FD (octal).
_ACCESS_MODE = 0o3
_O_WRONLY = 0o1
_O_RDWR = 0o2
# O_NONBLOCK: a file under another process's write lease fails at once, not after its break.
_LEASE_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC


def open_for_writing(paths: Iterable[Path], proc: Path = PROC) -> set[Path]:
    """Those of `paths` that a process has open for writing: each asked of the kernel by a
    lease, and those it can't answer for in one walk of /proc."""
    found: set[Path] = set()
    unanswered: list[Path] = []
    for path in paths:
        writing = _lease_refused(path)
        if writing is None:
            unanswered.append(path)
        elif writing:
            found.add(path)
    return found | _held_in_proc(unanswered, proc) if unanswered else found


def _lease_refused(path: Path) -> bool | None:
    """True when the kernel refuses a read lease on `path` because a writer has it open,
    False when it grants one, None when it can't tell (no lease for this file here)."""
    try:
        fd = os.open(path, _LEASE_OPEN)
    except OSError:
        return None
    try:
        # A writer opening the file breaks the lease and waits until it is let go, a few
        # microseconds later; the break is signalled by SIGURG, ignored by default, where
        # SIGIO's default would end the daemon.
        fcntl.fcntl(fd, fcntl.F_SETSIG, signal.SIGURG)
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except OSError as error:
        return True if error.errno == errno.EAGAIN else None
    else:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


def _held_in_proc(paths: Iterable[Path], proc: Path) -> set[Path]:
    """Those of `paths` that a visible process other than this one has open for writing,
    in one walk of /proc: links are compared as bytes, so a name that is not UTF-8 matches."""
    wanted = {os.fsencode(path): path for path in paths}
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
