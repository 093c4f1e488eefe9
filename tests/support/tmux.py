"""A terminal the tests drive through tmux: keys as a person types them (one at a time) or
as one read (a burst, a paste), and waits on what the screen shows."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Terminal:
    session: str  # a tmux target: a session, or session:window
    home: Path | None = None
    pause: float = 0.4  # between keys typed one at a time
    patience: float = 20  # how long wait_for waits by default, in seconds

    def tmux(self, *args: str) -> str:
        tmux = shutil.which("tmux")
        assert tmux is not None, "tmux is required for the terminal tests"
        return subprocess.run([tmux, *args], capture_output=True, text=True, check=True).stdout

    def burst(self, *keys: str) -> None:
        """Every key in one send-keys call: one write to the terminal, read together."""
        self.tmux("send-keys", "-t", self.session, *keys)

    def keys(self, *keys: str) -> None:
        """One key (or typed word) at a time, as a person types, not as one burst."""
        for key in keys:
            self.burst(key)
            time.sleep(self.pause)

    def type_text(self, text: str) -> None:
        """`text` literally: a word such as «Enter» is typed, not pressed."""
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def paste(self, text: str) -> None:
        """A bracketed paste, as a terminal sends the clipboard."""
        self.tmux("set-buffer", "-b", self.session, text)
        self.tmux("paste-buffer", "-p", "-d", "-b", self.session, "-t", self.session)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, text: str, seconds: float | None = None) -> str:
        """The screen once it shows `text`."""
        deadline = time.monotonic() + (self.patience if seconds is None else seconds)
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen()}")
