"""The cyclic garbage collector and the big loads a screen keeps."""

from __future__ import annotations

import gc

# Containers allocated, net of those freed, before the young generation is collected (CPython's
# default is 700). Textual makes and drops tens of thousands a screen (styles, strips,
# segments, messages): at 700 the collector ran ~150 times over a walk through the six screens,
# a tenth of its CPU (bench/README.md, session 9); at 50,000, once in eight walks. Nearly all
# of it is freed by reference counts anyway: the collector is for cycles, which it still finds.
YOUNG_THRESHOLD = 50_000


def collect_less_often() -> None:
    """Called once, before the app starts; the older generations keep their thresholds."""
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def settle_heap() -> None:
    """Called once a load is in place. What is on the heap then (Textual, SQLAlchemy's
    mappers, the model, the rows a screen shows until its next load) is out of the cyclic
    collector's sight, so a full collection scans only what came after. Measured on the
    5,000-row table, those collections took 50–215 ms each and landed on keys (bench/README.md,
    TUI). The rows replaced by a later load are freed by their reference counts: they hold
    no cycles. Garbage cycles not yet collected (a closed dialog, a notice, the last load's
    messages) are collected first: frozen, they would be kept for good, ~700 objects a reload
    of Портфолио, each commit of the daemon's or the doctor's. The collection scans only what
    came since the last freeze."""
    gc.collect()
    gc.freeze()
