"""App-wide messages. Workers post them (past tense: something happened); handlers update widgets.

Nothing here imports the model at module level, so the first paint never waits for SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from frmr.daemon.protocol import DaemonEvent, DaemonStatus
    from frmr.model.rules.errors import FrmrError
    from frmr.model.store.account import Account
    from frmr.model.store.settings import Settings
    from frmr.tui.screens.applications import ApplicationsLoaded
    from frmr.tui.widgets.rows_view import PreparedRows


class SettingsLoaded(Message):
    def __init__(self, settings: Settings, has_token: bool) -> None:
        super().__init__()
        self.settings = settings
        self.has_token = has_token


# Said when a key needs the store open for writing in the moment after the start, when the
# list is already shown from the read model: the key is kept and acted on once it is open.
STORE_OPENING = "Хранилище открывается: действие выполнится, как только оно откроется"


class FirstPageRead(Message):
    """The applications table's first rows, read with sqlite3 before the model loaded."""

    def __init__(self, rows: PreparedRows) -> None:
        super().__init__()
        self.rows = rows


class FirstLoadRead(Message):
    """The applications screen in full, read through the read model before the store was
    opened for writing (ApplicationsLoaded)."""

    def __init__(self, loaded: ApplicationsLoaded) -> None:
        super().__init__()
        self.loaded = loaded


class AccountOpened(Message):
    def __init__(self, account: Account) -> None:
        super().__init__()
        self.account = account


class AccountFailed(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


# The app re-posts this to every screen; bubbling back up to the app would loop forever.
class StoreChanged(Message, bubble=False):
    """Someone (this app or the daemon) committed to the store; screens reload what they show."""

    def can_replace(self, message: Message) -> bool:
        # A burst of commits needs one reload, not one per commit.
        return isinstance(message, StoreChanged)


@dataclass
class HeaderState:
    person: str = ""
    registry: str = "…"
    sandbox: bool = False  # then `registry` is «Песочница», kept on the line whatever its width
    daemon: str = "…"
    queued: int = 0
    not_delivered: int = 0


class HeaderChanged(Message):
    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HeaderChanged)


class DaemonStatusFetched(Message):
    """`status` is the control socket's answer, or None when the daemon isn't running."""

    def __init__(self, status: DaemonStatus | None) -> None:
        super().__init__()
        self.status = status

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DaemonStatusFetched)


class DaemonEventReceived(Message):
    """One event from the app's subscription to the daemon (the only one it holds)."""

    def __init__(self, event: DaemonEvent) -> None:
        super().__init__()
        self.event = event


class SandboxReady(Message):
    def __init__(self, info: dict[str, Any]) -> None:
        super().__init__()
        self.info = info


class ActionSucceeded(Message):
    """An action run by `ActionRunner.run_model_action` finished; `result` is what it returned."""

    def __init__(self, action: str, result: Any) -> None:
        super().__init__()
        self.action = action
        self.result = result


class ActionFailed(Message):
    def __init__(self, action: str, error: FrmrError) -> None:
        super().__init__()
        self.action = action
        self.error = error
