"""The settle queue: each path due exactly one window after the last thing that happened
to it, earliest first."""

from __future__ import annotations

from pathlib import Path

from frmr.daemon.settle import SettleQueue

A, B = Path("/docs/a.pdf"), Path("/docs/b.pdf")


def test_due_one_window_after_the_last_event_not_after_it_was_handled() -> None:
    queue = SettleQueue(1.0)
    queue.note(A, 10, 1, at=5.0, activity=True)
    queue.note(A, 20, 2, at=5.4, activity=True)  # written again
    queue.note(A, 20, 2, at=5.5, activity=True)  # closed: same stat, but an event
    assert queue.next_deadline() == 6.5
    assert list(queue.pop_due(6.4)) == []
    assert [p for p, _ in queue.pop_due(6.5)] == [A]
    assert len(queue) == 0


def test_a_rescan_that_sees_nothing_new_does_not_postpone() -> None:
    queue = SettleQueue(1.0)
    queue.note(A, 10, 1, at=5.0, activity=True)
    queue.note(A, 10, 1, at=5.8, activity=False)
    assert queue.next_deadline() == 6.0


def test_earliest_deadline_first_and_forgotten_paths_are_skipped() -> None:
    queue = SettleQueue(1.0)
    queue.note(B, 1, 1, at=2.0, activity=True)
    queue.note(A, 1, 1, at=1.0, activity=True)
    queue.note(A, 2, 2, at=3.0, activity=True)
    queue.forget(B)
    assert queue.next_deadline() == 4.0
    assert [p for p, _ in queue.pop_due(10.0)] == [A]
    assert queue.next_deadline() is None
