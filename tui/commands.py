"""The command palette lists every binding active on the current screen, so no action is
reachable only by a key someone has to remember."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class BindingsProvider(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        seen: set[str] = set()
        found: list[tuple[str, str, object]] = []
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            callback = partial(self.app.run_action, binding.action, active.node)
            found.append((binding.description, key, callback))
        return found

    async def discover(self) -> Hits:
        for description, key, callback in self._commands():
            yield DiscoveryHit(description, callback, help=f"клавиша {key}")  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, key, callback in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), callback, help=f"клавиша {key}")  # type: ignore[arg-type]
