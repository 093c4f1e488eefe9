"""A real OpenSSH server on loopback, and the real scp/rsync clients pointed at it.

Files reach the watched folder over SSH in real use, so the intake tests drive the same
clients a user would (scp writes straight into the final name, rsync into a dot-file it
renames). The server runs as the current user (root in CI) with keys made in a temporary
folder; nothing on the machine outside that folder is read or changed, except /run/sshd,
which sshd insists on as its privilege-separation directory when started as root.
"""

from __future__ import annotations

import os
import pwd
import selectors
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SSHD = "/usr/sbin/sshd"
START_TIMEOUT = 20.0


@dataclass(frozen=True)
class Sshd:
    port: int
    user: str
    client_key: Path

    def _ssh_options(self) -> list[str]:
        return [
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-i",
            str(self.client_key),
        ]

    def target(self, dest: str) -> str:
        return f"{self.user}@127.0.0.1:{dest}"

    def scp_command(self, src: Path, dest: str, limit_kbit: int | None = None) -> list[str]:
        limit = ["-l", str(limit_kbit)] if limit_kbit is not None else []
        return [
            "scp",
            "-q",
            *self._ssh_options(),
            "-P",
            str(self.port),
            *limit,
            str(src),
            self.target(dest),
        ]

    def scp(
        self, src: Path, dest: str, limit_kbit: int | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Copy `src` to the absolute path `dest` with the real scp; fails the test on error."""
        return _run(self.scp_command(src, dest, limit_kbit))

    def rsync(
        self, src: Path, dest: str, limit_kbyte: int | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Copy `src` to `dest` with the real rsync over ssh (temp dot-file, then rename),
        at most `limit_kbyte` KiB/s when given."""
        ssh = " ".join(["ssh", "-p", str(self.port), *self._ssh_options()])
        limit = [f"--bwlimit={limit_kbyte}"] if limit_kbyte else []
        return _run(["rsync", "-e", ssh, *limit, str(src), self.target(dest)])


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{command[0]} failed ({done.returncode}): {done.stderr}"
    return done


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _keygen(path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "frmr-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )


def _write_config(folder: Path, port: int) -> Path:
    config = folder / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {folder / 'host_key'}",
                f"PidFile {folder / 'sshd.pid'}",
                f"AuthorizedKeysFile {folder / 'authorized_keys'}",
                # The temporary folder belongs to the test, not to a hardened home.
                "StrictModes no",
                "UsePAM no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "Subsystem sftp internal-sftp",
                "LogLevel INFO",
                # Root's shell start-up on these machines runs `pyenv rehash`, which waits up to
                # 60 s for a lock a rehash killed mid-way leaves behind: every login then stalled
                # for a minute and the TUI-over-SSH stories saw an empty screen. A live rehash
                # holds the lock for well under a second.
                "SetEnv PYENV_REHASH_TIMEOUT=1",
                "",
            ]
        )
    )
    return config


def _wait_listening(process: subprocess.Popen[str], port: int) -> str | None:
    """Read sshd's log until it says it listens; returns the log if it exited instead."""
    assert process.stderr is not None
    seen: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = process.stderr.readline()
            if not line:
                process.wait(timeout=5)
                return "".join(seen)
            seen.append(line)
            if f"Server listening on 127.0.0.1 port {port}" in line:
                return None
    raise AssertionError(f"sshd did not listen within {START_TIMEOUT} s: {''.join(seen)}")


def _connects(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        return conn.recv(4).startswith(b"SSH-")


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sshd]:
    """A running sshd on a free loopback port that accepts the current user's test key."""
    for tool in ("scp", "ssh", "ssh-keygen", "rsync"):
        assert shutil.which(tool), f"{tool} is required (see .ci/tools.sh)"
    assert os.access(SSHD, os.X_OK), f"{SSHD} is required (openssh-server, see .ci/tools.sh)"
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    folder = tmp_path_factory.mktemp("sshd")
    _keygen(folder / "host_key")
    _keygen(folder / "client_key")
    (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
    user = pwd.getpwuid(os.getuid()).pw_name
    log = ""
    # A port found free can be taken before sshd binds it; a few fresh ports cover that race.
    for _ in range(5):
        port = _free_port()
        config = _write_config(folder, port)
        process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        exited_log = _wait_listening(process, port)
        if exited_log is None:
            break
        log = exited_log
    else:
        raise AssertionError(f"sshd would not start: {log}")
    # sshd logs every connection; drain its stderr so a long session never fills the pipe.
    assert process.stderr is not None
    drain = threading.Thread(target=process.stderr.read, daemon=True)
    drain.start()
    try:
        assert _connects(port), "sshd listens but does not speak SSH"
        yield Sshd(port=port, user=user, client_key=folder / "client_key")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        drain.join(timeout=10)
