"""The shared registry and world fixtures (tests/support/fixtures.py)."""

from tests.support.fixtures import registry, world

__all__ = ["registry", "world"]
