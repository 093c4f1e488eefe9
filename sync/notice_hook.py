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

from frmr.model.notify_events import Event

# What a failing hook may leave in the log and the outbox row.
STDERR_KEPT = 400


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


def run_hook(command: str, event: Event, timeout: float) -> None:
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
    try:
        _, stderr = process.communicate(event.to_json().encode(), timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise HookFailed(
            f"notify_command ran past its {timeout:g} s limit and was killed"
        ) from None
    if process.returncode != 0:
        tail = stderr.decode(errors="replace").strip()[-STDERR_KEPT:]
        raise HookFailed(
            f"notify_command exited with {process.returncode}" + (f": {tail}" if tail else "")
        )
