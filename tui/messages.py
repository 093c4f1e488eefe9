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


@dataclass
class SettingsLoaded(Message):
    settings: Settings
    has_token: bool


# Said when a key needs the store open for writing in the moment after the start, when the
# list is already shown from the read model: the key is kept and acted on once it is open.
STORE_OPENING = "Хранилище открывается: действие выполнится, как только оно откроется"


@dataclass
class FirstPageRead(Message):
    """The applications table's first rows, read with sqlite3 before the model loaded."""

    rows: PreparedRows


class FirstReadsDone(Message):
    """The first page's worker has finished (read or not): the account may open."""


@dataclass
class FirstLoadRead(Message):
    """The applications screen in full, read through the read model before the store was
    opened for writing (ApplicationsLoaded)."""

    loaded: ApplicationsLoaded


@dataclass
class AccountOpened(Message):
    account: Account


@dataclass
class AccountFailed(Message):
    text: str


# The app re-posts this to every screen; bubbling back up to the app would loop forever.
class StoreChanged(Message, bubble=False):
    """Someone (this app, the `frmr` CLI, the daemon) committed to the store; screens reload
    what they show. `version` is the store's PRAGMA data_version read after that commit and
    before any reload it asks for: what the reloads show is at least that recent."""

    def __init__(self, version: int) -> None:
        super().__init__()
        self.version = version

    def can_replace(self, message: Message) -> bool:
        # A burst of commits needs one reload, not one per commit.
        return isinstance(message, StoreChanged)


@dataclass
class HeaderState:
    """What the header says; "" or None: not read yet, left off the line (a «…» there read as
    a cut name, a 0 as an empty queue)."""

    person: str = ""
    registry: str = ""
    sandbox: bool = False  # then `registry` is «Песочница», kept on the line whatever its width
    daemon: str = ""
    queued: int | None = None
    not_delivered: int | None = None


class HeaderChanged(Message):
    def can_replace(self, message: Message) -> bool:
        return isinstance(message, HeaderChanged)


@dataclass
class DaemonStatusFetched(Message):
    """`status` is the control socket's answer, or None when the daemon isn't running."""

    status: DaemonStatus | None

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DaemonStatusFetched)


@dataclass
class DaemonEventReceived(Message):
    """One event from the app's subscription to the daemon (the only one it holds)."""

    event: DaemonEvent


@dataclass
class SandboxReady(Message):
    info: dict[str, Any]


@dataclass
class ActionSucceeded(Message):
    """An action run by `ActionRunner.run_model_action` finished; `result` is what it returned."""

    action: str
    result: Any


@dataclass
class ActionFailed(Message):
    action: str
    error: FrmrError
