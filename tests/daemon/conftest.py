"""The shared registry and world fixtures (tests/support/fixtures.py), and a small real disk
(tests/support/tmpfs.py)."""

from tests.support.fixtures import registry, world
from tests.support.tmpfs import small_disk

__all__ = ["registry", "small_disk", "world"]
