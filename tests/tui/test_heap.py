"""The heap after a load: what is frozen out of the collector's sight is what the screens
keep, never garbage that was waiting to be collected."""

from __future__ import annotations

import gc
import weakref

from frmr.tui.heap import settle_heap


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_a_garbage_cycle_waiting_at_a_load_is_collected_not_kept_for_good() -> None:
    gc.disable()
    try:
        garbage = _Node()
        gone = weakref.ref(garbage)
        del garbage
        settle_heap()
        gc.collect()
        assert gone() is None
    finally:
        gc.enable()
