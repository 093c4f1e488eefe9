"""Ready-to-paste commands that copy a file from the doctor's own computer into a folder of
this one: the TUI usually runs over SSH, and the doctor's scans are on the machine in front of
them, not on the server."""

from __future__ import annotations

import getpass
import os
import pwd
import shlex
import socket
from collections.abc import Mapping

from rich.cells import cell_len

# What the doctor replaces with their own file; Russian, as everything they read.
SAMPLE_FILE = "файл.pdf"
DEFAULT_SSH_PORT = 22


def _connection(env: Mapping[str, str]) -> tuple[str, int | None]:
    """The server address and port the doctor's SSH session came in on.

    SSH_CONNECTION is «client_ip client_port server_ip server_port»: the server address the
    doctor connected to is the one that works from their side (a hostname may not resolve
    there), and its port is the one their scp must use. Without SSH, this machine's name is
    the best guess and the port is left to the doctor's own ssh settings."""
    parts = env.get("SSH_CONNECTION", "").split()
    if len(parts) != 4:
        return socket.gethostname(), None
    port = int(parts[3]) if parts[3].isdigit() else None
    return parts[2], port


def ssh_target(env: Mapping[str, str]) -> str:
    """user@host as the doctor's computer reaches this one."""
    host, _port = _connection(env)
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address: scp and rsync need it bracketed
    # The account this runs under, which is what the doctor logs in as; USER is unset under
    # some service managers and `env -i`.
    user = env.get("USER") or env.get("LOGNAME") or getpass.getuser()
    return f"{user}@{host}"


def _remote_path(folder: str, home: str) -> str:
    """`folder` relative to the login's home when it lies under it: scp and rsync resolve a
    relative remote path from the home of the user they log in as (this account), and the
    line is shorter, so it is less often wrapped at 80 columns, where a terminal's selection
    would copy the wrap as a line break."""
    base = home.rstrip("/")
    if base and folder.startswith(base + "/"):
        return folder[len(base) + 1 :]
    return folder


def login_home() -> str:
    # The home sshd starts the session in (the password database's), not $HOME, which a
    # service or a shell may have changed.
    return pwd.getpwuid(os.getuid()).pw_dir


def copy_commands(folder: str, env: Mapping[str, str], home: str | None = None) -> list[str]:
    """scp and rsync lines that put a file into `folder` (the trailing slash keeps its name).

    The port of the doctor's session goes in (`scp -P`, `rsync -e 'ssh -p'`): without it both
    go to port 22, which is not where a server on another port listens. rsync writes into a
    temporary `.name.XXXXXX` and renames it: the daemon ignores such names, so a half-sent
    file is never imported."""
    remote = _remote_path(folder.rstrip("/"), login_home() if home is None else home)
    destination = f"{ssh_target(env)}:{shlex.quote(remote + '/')}"
    _host, port = _connection(env)
    if port is None or port == DEFAULT_SSH_PORT:
        return [f"scp {SAMPLE_FILE} {destination}", f"rsync -t {SAMPLE_FILE} {destination}"]
    return [
        f"scp -P {port} {SAMPLE_FILE} {destination}",
        f"rsync -t -e 'ssh -p {port}' {SAMPLE_FILE} {destination}",
    ]


def fetch_command(pattern: str, env: Mapping[str, str], home: str | None = None) -> str:
    """An scp line, run on the doctor's computer, that brings the files matching `pattern`
    (a path on this machine, `*` allowed) into the folder they run it in. The wildcard is
    left for this side to expand: quoted for the doctor's shell, as scp wants it."""
    remote = _remote_path(pattern, login_home() if home is None else home)
    source = f"{ssh_target(env)}:{shlex.quote(remote)}"
    _host, port = _connection(env)
    if port is None or port == DEFAULT_SSH_PORT:
        return f"scp {source} ."
    return f"scp -P {port} {source} ."


# Narrower than this, a broken line is harder to read than a wrapped one.
MIN_FOLD_WIDTH = 12


def fold_command(command: str, width: int) -> list[str]:
    """`command` broken into lines of at most `width` cells that a shell reads back as the
    same command: a line ending in ` \\` continues with the next word, one ending in `\\`
    inside a word continues that word (a single-quoted part is closed before the break and
    reopened after it). A terminal's selection of the shown lines, pasted into a shell, then
    runs the command; a soft-wrapped line would be pasted as two commands.

    Continuation lines are not indented: inside a word a leading space would split it."""
    if width < MIN_FOLD_WIDTH or cell_len(command) <= width:
        return [command]
    lines: list[str] = []
    current = ""
    words = _words(command)
    for index, word in enumerate(words):
        last = index == len(words) - 1
        joined = f"{current} {word}" if current else word
        # Every line but the last needs room for its « \».
        if cell_len(joined) + (0 if last else len(" \\")) <= width:
            current = joined
            continue
        if current:
            lines.append(current + " \\")
        if cell_len(word) + (0 if last else len(" \\")) <= width:
            current = word
            continue
        *pieces, current = _split_word(word, width)
        lines.extend(pieces)
    lines.append(current)
    return lines


def _words(command: str) -> list[str]:
    """The command's words as written (quotes kept), split at the spaces outside quotes."""
    words: list[str] = []
    current = ""
    quote = ""
    for char in command:
        if char == " " and not quote:
            if current:
                words.append(current)
            current = ""
            continue
        current += char
        if quote and char == quote:
            quote = ""
        elif not quote and char in "'\"":
            quote = char
    if current:
        words.append(current)
    return words


def _split_word(word: str, width: int) -> list[str]:
    """`word` in pieces of at most `width` cells, each but the last ending in a continuation
    the shell removes, so that the pieces read back as the one word."""
    pieces: list[str] = []
    current = ""
    quote = ""
    escaped = False
    for char in word:
        after_quote, after_escaped = quote, False
        if escaped:
            pass
        elif char == "\\" and quote != "'":
            after_escaped = True
        elif quote and char == quote:
            after_quote = ""
        elif not quote and char in "'\"":
            after_quote = char
        # Never between a backslash and what it escapes; the line keeps room for its break.
        if current and not escaped and cell_len(current + char + _tail(after_quote)) > width:
            pieces.append(current + _tail(quote))
            current = "'" if quote == "'" else ""
        current += char
        quote, escaped = after_quote, after_escaped
    pieces.append(current)
    return pieces


def _tail(quote: str) -> str:
    """What ends a piece broken inside a word: a backslash-newline is removed outside quotes
    and inside double ones; a single-quoted part is closed first, as a backslash is literal
    there (the next piece reopens it)."""
    return "'\\" if quote == "'" else "\\"
