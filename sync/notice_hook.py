"""The notification hook: the doctor's own command, run once per event.

Like isync's PostSyncCommand, but given the event: its JSON on stdin and a few FRMR_EVENT_*
variables for scripts that need no JSON parser. It runs without a shell, in its own process
group, for at most its time limit (then the whole group is killed), so a hanging script can
hold up only the next notification, never the daemon's sync.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
import time

from frmr.model.notifications.events import Event

# What a failing hook may leave in the log and the outbox row.
STDERR_KEPT = 400
# How often a running hook checks whether the daemon is stopping.
STOP_SLICE = 0.2


class HookFailed(Exception):
    """A hook run that failed; its text is English, for the log and the outbox row."""


def hook_env(event: Event) -> dict[str, str]:
    values = {
        "FRMR_EVENT_ID": event.key,
        "FRMR_EVENT_KIND": event.kind.value,
        "FRMR_EVENT_TITLE": event.title,
        "FRMR_EVENT_TEXT": event.text,
        "FRMR_EVENT_TODO": event.todo,
        "FRMR_EVENT_APPLICATION": event.application_number or "",
        "FRMR_EVENT_APPLICATION_ID": event.application_id or "",
        "FRMR_EVENT_SPECIALTY": event.specialty or "",
        "FRMR_EVENT_STATUS": event.status or "",
        "FRMR_EVENT_REASON": event.reason or "",
        "FRMR_EVENT_PATH": event.path or "",
        "FRMR_EVENT_REASON_PATH": event.reason_path or "",
        "FRMR_EVENT_DATE": event.date or "",
    }
    return values


def run_hook(
    command: str, event: Event, timeout: float, stopping: threading.Event | None = None
) -> None:
    """Run `command` for `event`; raises HookFailed (English) unless it exits 0 in time."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise HookFailed(f"notify_command can't be split: {error}") from None
    if not argv:
        raise HookFailed("notify_command is empty")
    # The daemon's own secrets never reach the hook: only what it needs of the environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRMR_SMTP_")}
    env.update(hook_env(event))
    try:
        process = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
    except OSError as error:
        raise HookFailed(f"notify_command could not start: {error}") from None
    deadline = time.monotonic() + timeout
    data: bytes | None = event.to_json().encode()
    while True:
        # In slices, so a daemon asked to stop ends the hook instead of waiting it out.
        left = deadline - time.monotonic()
        try:
            _, stderr = process.communicate(data, timeout=max(0.0, min(STOP_SLICE, left)))
            break
        except subprocess.TimeoutExpired:
            data = None  # sent with the first call; a repeat must not send it again
            stop = stopping is not None and stopping.is_set()
            if left > STOP_SLICE and not stop:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            if stop:
                raise HookFailed("notify_command was stopped with the daemon") from None
            raise HookFailed(
                f"notify_command ran past its {timeout:g} s limit and was killed"
            ) from None
    if process.returncode != 0:
        tail = stderr.decode(errors="replace").strip()[-STDERR_KEPT:]
        raise HookFailed(
            f"notify_command exited with {process.returncode}" + (f": {tail}" if tail else "")
        )
