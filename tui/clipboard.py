"""Copying to the clipboard of the doctor's own terminal, over SSH: OSC 52.

Textual writes the OSC 52 sequence; whether it reaches the clipboard depends on what sits
between. tmux drops an application's OSC 52 unless `set-clipboard` is `on` (its default,
`external`, keeps it to tmux's own copy mode), GNU screen does not pass it on, and the Linux
console has no clipboard. Those we can see, and say so instead of claiming a copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping

from textual.app import App

TMUX_FIX = (
    "tmux не передаёт буфер обмена терминалу: добавьте в ~/.tmux.conf строку "
    "«set -g set-clipboard on» и выполните «tmux source ~/.tmux.conf». "
    "Пока выделите текст мышью (в tmux — с Shift)"
)


def _tmux_option(name: str, env: Mapping[str, str]) -> str | None:
    """A global option of the tmux server that $TMUX (in `env`) names."""
    tmux = shutil.which("tmux")
    if tmux is None:
        return None
    try:
        answer = subprocess.run(
            [tmux, "show-options", "-gv", name],
            capture_output=True,
            text=True,
            timeout=2,
            env=dict(env),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return answer.stdout.strip() if answer.returncode == 0 else None


def clipboard_problem(env: Mapping[str, str]) -> str | None:
    """Why a copy can't reach the terminal's clipboard, in Russian; None when it can."""
    if env.get("TMUX") and _tmux_option("set-clipboard", env) != "on":
        return TMUX_FIX
    if env.get("STY"):
        return "GNU screen не передаёт буфер обмена терминалу: выделите текст мышью"
    if env.get("TERM") == "linux":
        return "В консоли Linux нет буфера обмена: выделите текст мышью"
    return None


def copy(app: App[object], text: str, what: str) -> None:
    """Send `text` to the terminal's clipboard and say only what is known: it was sent.

    `what` names the text, as the subject of «отправлен(а) в терминал». Whether the terminal
    (or a tmux or screen in between) put it on the clipboard, nothing tells us; the text stays
    on screen for the person to select. Where something in between is known to drop it, that
    is said instead."""
    problem = clipboard_problem(os.environ)
    if problem is not None:
        app.notify(problem, title="Не скопировано", severity="warning", markup=False, timeout=10)
        return
    app.copy_to_clipboard(text)
    app.notify(
        f"{what} в терминал (OSC 52). Если в буфере обмена ничего нет, выделите текст на экране",
        markup=False,
        timeout=8,
    )
