"""What every `frmr` command shares: settings, the open account, and how errors are shown."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from frmr.model.account import Account, open_account
from frmr.model.errors import FrmrError
from frmr.model.settings import Settings, load_settings

USER_ERROR_EXIT = 2

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Context:
    settings: Settings = field(default_factory=load_settings)
    _account: Account | None = None

    @property
    def account(self) -> Account:
        if self._account is None:
            self._account = open_account(self.settings)
        return self._account

    def close(self) -> None:
        if self._account is not None:
            self._account.close()


pass_context = click.make_pass_decorator(Context, ensure=True)


def fail(message: str, exit_code: int = USER_ERROR_EXIT) -> None:
    click.echo(f"Ошибка: {message}", err=True)
    sys.exit(exit_code)


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


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
