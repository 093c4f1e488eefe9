"""The command palette lists every binding active on the current screen, so no action is
reachable only by a key someone has to remember. Each shows its key as the keymap has it and
its id, the name `keymap` in config.toml takes to move it."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class BindingsProvider(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        screen = self.screen
        seen: set[str] = set()
        found: list[tuple[str, str, object]] = []
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only ours: each has an id; Textual's own (scrolling, copy) have English text.
            if binding.id is None or not binding.description or not active.enabled:
                continue
            if binding.action in seen or binding.action == "command_palette":
                continue
            seen.add(binding.action)
            callback = partial(self.app.run_action, binding.action, active.node)
            key = self.app.get_key_display(binding)
            found.append((binding.description, f"клавиша {key} · {binding.id}", callback))
        return found

    async def discover(self) -> Hits:
        for description, help_text, callback in self._commands():
            yield DiscoveryHit(description, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, help_text, callback in self._commands():
            score = matcher.match(description)
            if score > 0:
                yield Hit(score, matcher.highlight(description), callback, help=help_text)  # type: ignore[arg-type]
