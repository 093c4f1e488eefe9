"""A tab pane whose content is made the first time it is shown, not with its screen."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.compose import compose
from textual.widget import AwaitMount
from textual.widgets import TabPane


class LazyPane(TabPane):
    """Профиль and Портфолио composed every list of every tab as they were first shown, four
    on each, in panes a doctor may never open that visit: a third of each first visit's CPU
    (bench/README.md, session 10). A LazyPane makes its content as its switcher first shows
    it, in the same call (so whatever sets the tab finds the pane's widgets in the DOM right
    after), and is `ready` once they are all mounted with what they compose themselves.
    `content` composes it as a `compose` method would."""

    def __init__(
        self, title: str, content: Callable[[], ComposeResult], *, id: str | None = None
    ) -> None:
        super().__init__(title, id=id)
        self._content: Callable[[], ComposeResult] | None = content
        self.ready = False
        self._when_ready: list[Callable[[], object]] = []

    def on_mount(self) -> None:
        # The parent is the TabbedContent's ContentSwitcher: both a tab key and a set
        # `active` show a pane through its `current`. Textual calls a watcher at once.
        switcher = self.parent
        assert switcher is not None
        self.watch(switcher, "current", self._current_changed)

    def _current_changed(self, current: str | None) -> None:
        if current == self.id and self._content is not None:
            content, self._content = self._content, None
            self.call_next(self._settle, self.mount_all(compose(self, content())))

    async def _settle(self, made: AwaitMount) -> None:
        await made
        self.ready = True
        waiting, self._when_ready = self._when_ready, []
        for run in waiting:
            run()

    def when_ready(self, run: Callable[[], object]) -> None:
        """Run `run` now if the content is mounted, or once it is."""
        if self.ready:
            run()
        else:
            self._when_ready.append(run)
