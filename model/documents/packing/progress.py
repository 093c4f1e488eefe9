"""How far a packing has got, for whoever shows it (the daemon's status, the TUI).

The packer calls back on its own thread after each page's images are done. A callback may
raise to stop the packing (the daemon stopping): the exception leaves `pack` as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PackStep:
    """Pages whose images are done, of the document's pages, in the given attempt."""

    page: int
    pages: int
    # 1 for the first setting tried; 2 and on when the document had to go lower to fit.
    attempt: int = 1


Progress = Callable[[PackStep], None]


def no_progress(_step: PackStep) -> None:
    return None
