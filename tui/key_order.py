"""Editing keys in a text field run in the order they were typed.

Textual inserts a printable key in the focused Input (or TextArea) as the widget handles it,
but an editing key bound on the widget itself (Ctrl+U, Home, Backspace, ←, Enter…) first
bubbles up to the App, and its action runs only when the App gets to it. The characters
that followed in the same read (a paste, tmux send-keys, a laggy SSH link) are already in
the widget's queue, so they are inserted before the editing key is applied: Ctrl+U then
«Тверь» left the field empty, Home then «г. » inserted at the end. Upstream:
Textualize/textual#6605 (open; PR #6631 runs the bindings inline in `_on_key`).

Here the App, instead of forwarding such a key, queues its action on the widget itself, behind
the keys already sent to it and ahead of the ones after. Which action runs is unchanged: the
focused widget is the first namespace Textual's own lookup tries, and priority bindings are
still checked first, as the key arrives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual._dispatch_key import dispatch_key
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import Binding
    from textual.widget import Widget


def field_bindings(app: App[Any], event: events.Key) -> tuple[Widget, list[Binding]] | None:
    """The focused text field and its own (non-priority) bindings for this key, if it has any."""
    focused = app.focused
    if not isinstance(focused, Input | TextArea) or event.is_printable:
        return None
    chain = app.screen._modal_binding_chain
    if not chain or chain[0][0] is not focused:
        return None
    bindings = [b for b in chain[0][1].key_to_bindings.get(event.key, ()) if not b.priority]
    return (focused, bindings) if bindings else None


async def run_in_order(
    app: App[Any], field: Widget, bindings: list[Binding], event: events.Key
) -> None:
    """Run in the field's own queue: after the keys sent before this one, before the rest."""
    for binding in bindings:
        if await app.run_action(binding.action, field):
            return
    # Every binding declined (check_action, SkipAction): on up the chain, as Textual would.
    if not await app._check_bindings(event.key):
        await dispatch_key(app, event)
