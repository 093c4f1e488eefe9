"""What every `frmr` command shares: settings, the open account, and how errors are shown.

Nothing heavy is imported here: a script calls `frmr` in a loop, and SQLAlchemy and
SQLModel cost about half a second of CPU. Settings and the account are made when a command
first asks for them; read-only commands read through `reader` (model.store.reads), which
opens the account only when the store must be created or migrated.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Concatenate, NoReturn, ParamSpec, TypeVar

import click

from frmr.model.rules.errors import FrmrError
from frmr.model.rules.text import printable_lines
from frmr.model.store.locations import HomeLayout

if TYPE_CHECKING:
    from frmr.model.store.account import Account
    from frmr.model.store.reads import Reader
    from frmr.model.store.settings import Settings

USER_ERROR_EXIT = 2

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Context:
    _settings: Settings | None = None
    _account: Account | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from frmr.model.store.settings import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def account(self) -> Account:
        if self._account is None:
            from frmr.model.store.account import open_account

            self._account = open_account(self.settings)
        return self._account

    @contextmanager
    def reader(self) -> Iterator[Reader]:
        """The store read-only for the read model (model.store.reads.read_store)."""
        from frmr.model.store.reads import read_store

        with read_store(self.layout, lambda: self.account) as read:
            yield read

    @property
    def layout(self) -> HomeLayout:
        return self.settings.layout

    def close(self) -> None:
        if self._account is not None:
            self._account.close()


pass_context = click.make_pass_decorator(Context, ensure=True)


def with_context(func: Callable[Concatenate[Context, P], R]) -> Callable[P, R]:
    """A command over the store: it is given the Context, and a domain error it raises is
    shown in Russian (reports_errors)."""
    return pass_context(reports_errors(func))


def fail(message: str, exit_code: int = USER_ERROR_EXIT) -> NoReturn:
    # A message can quote a name from disk or from the registry: escaped, never acted on.
    click.echo(f"Ошибка: {printable_lines(message)}", err=True)
    sys.exit(exit_code)


def field_values(items: tuple[str, ...]) -> dict[str, str]:
    """`поле=значение` arguments as a mapping; anything else is refused, naming it."""
    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            fail(f"ожидается поле=значение, получено «{item}»")
        values[key.strip()] = value
    return values


def reports_errors(func: F) -> F:
    """Turn a domain error into its Russian text on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FrmrError as exc:
            problems = exc.details.get("problems")
            if isinstance(problems, list) and problems:
                click.echo("Заявление не прошло проверку:", err=True)
                for p in problems:
                    click.echo(f"  • {p['message']}: {p['detail']}", err=True)
                    click.echo(f"    Что сделать: {p['fix']}", err=True)
                sys.exit(USER_ERROR_EXIT)
            fail(exc.user_text())

    return wrapper  # type: ignore[return-value]


def when(at: datetime) -> str:
    """A moment in the local time zone, as the listings show it."""
    return at.astimezone().strftime("%d.%m.%Y %H:%M")


def echo_json(data: Any) -> None:
    # json escapes control characters but not bidi ones (U+202E); printable_lines makes
    # those \uXXXX escapes, still valid JSON, and leaves the layout's line breaks.
    click.echo(printable_lines(json.dumps(data, ensure_ascii=False, indent=2, default=str)))
