"""Вход: login + password or a QR code drawn in the terminal; «Работать без сети» skips it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static
from textual.worker import get_current_worker

from frmr.model.rules.errors import FrmrError
from frmr.tui.widgets.field import FIELD_STEP_BINDINGS, step_field
from frmr.tui.widgets.key_bar import KeyBar

QR_POLL_SECONDS = 2.0
# The caption under the QR code is this wide at most: the dialog's width at 80 columns.
QR_CAPTION_WIDTH = 76


class LoggedIn(Message):
    pass


@dataclass
class LoginRefused(Message):
    text: str


@dataclass
class QrShown(Message):
    picture: Text
    code: str


def qr_picture(data: str) -> Text:
    """The QR code in half-block characters: two modules a cell, so it fits 80×24 (a one-module
    quiet zone: the light cells around it are the terminal's own margin)."""
    import qrcode

    qr = qrcode.QRCode(border=1)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    lines = []
    for top, bottom in zip(matrix[::2], matrix[1::2], strict=True):
        # Dark modules are drawn as spaces on a light cell so phones read it on dark terminals.
        chars = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
        lines.append("".join(chars[(t, b)] for t, b in zip(top, bottom, strict=True)))
    return Text("\n".join(lines), no_wrap=True)


class LoginScreen(Screen[None]):
    # Focused as the screen composes: Widget.focus() in on_mount only schedules the move, and a
    # key typed before it ran landed on the scrolling container (the default first focusable).
    AUTO_FOCUS = "#login-name"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "qr", "Войти по QR-коду", id="login.qr"),
        Binding("escape", "offline", "Работать без сети", id="login.offline"),
        # Enter in the login field moves to the password at once (a priority binding runs as
        # the key arrives), so a password typed right after it can't land in the login field.
        Binding("enter", "to_password", "К паролю", id="login.next", show=False, priority=True),
        *FIELD_STEP_BINDINGS,
    ]

    def action_field_step(self, delta: int) -> None:
        step_field(self, list(self.query("#login-form Input")), delta)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="login"):
            yield Label(Text("Вход в личный кабинет ФРМР"), classes="dialog-title")
            yield Static("", id="sandbox-credentials", markup=False)
            with Vertical(id="login-form"):
                yield Label(Text("Логин: СНИЛС, телефон или e-mail"))
                yield Input(id="login-name", placeholder="123-456-789 01")
                yield Label(Text("Пароль"))
                yield Input(id="login-password", password=True)
                yield Static("", id="login-error", markup=False)
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Войти", variant="primary", id="do-login")
                    yield Button("QR-код (F8)", id="do-qr")
                    yield Button("Без сети (Esc)", id="do-offline")
            yield Static("", id="qr-caption")
            yield Static("", id="qr")
        yield KeyBar(screens=False)

    def on_mount(self) -> None:
        sandbox = getattr(self.app, "sandbox", None)
        if sandbox:
            self.show_sandbox(sandbox)
        # Auto focus skips a terminal that has not got the focus (app_focus is False).
        self.query_one("#login-name", Input).focus()

    def show_sandbox(self, info: dict[str, Any]) -> None:
        if info.get("login"):
            from frmr.sync.sandbox import auto_review_text

            self.query_one("#sandbox-credentials", Static).update(
                Text(
                    f"Песочница: логин {info['login']}, пароль {info['password']}\n"
                    f"{auto_review_text(info)}"
                )
            )

    def action_to_password(self) -> None:
        if self.focused is not self.query_one("#login-name", Input):
            raise SkipAction()
        # Screen.set_focus now, not Widget.focus(), which only schedules the move.
        self.set_focus(self.query_one("#login-password", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "login-password":
            self.do_login()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        {"do-login": self.do_login, "do-qr": self.action_qr, "do-offline": self.action_offline}[
            event.button.id or ""
        ]()

    def _url(self) -> str | None:
        url: str | None = getattr(self.app, "registry_url", None)
        if url is None:
            self.show_error(
                "Регистр ещё не доступен: песочница запускается, попробуйте через "
                "несколько секунд или работайте без сети"
            )
        return url

    def do_login(self) -> None:
        name = self.query_one("#login-name", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        if not name or not password:
            self.show_error("Введите логин и пароль")
            return
        if (problem := _snils_problem(name)) is not None:
            self.show_error(problem)
            return
        if (url := self._url()) is not None:
            self.show_error("Входим…")
            self.login_worker(url, name, password)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def login_worker(self, url: str, name: str, password: str) -> None:
        from frmr.sync.auth import login

        settings = self.app.settings  # type: ignore[attr-defined]
        try:
            token = login(url, name, password, ca_bundle=settings.ca_bundle)
        except FrmrError as exc:
            self.post_message(LoginRefused(_login_text(exc)))
            return
        self._logged_in(token)

    def _logged_in(self, token: Any) -> None:
        from frmr.daemon.control_client import sync_now
        from frmr.sync.auth import save_token

        settings = self.app.settings  # type: ignore[attr-defined]
        # The daemon reads this file: it notices the new token and syncs; sync-now only saves
        # waiting for it. No daemon answering is fine: it reads the file when it starts.
        save_token(settings.token_path, token)
        sync_now(settings.control_socket)
        self.post_message(LoggedIn())

    def action_qr(self) -> None:
        if (url := self._url()) is not None:
            self.show_error("Получаем QR-код…")
            self.qr_worker(url)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def qr_worker(self, url: str) -> None:
        from frmr.sync.auth import poll_qr, start_qr

        settings = self.app.settings  # type: ignore[attr-defined]
        worker = get_current_worker()
        try:
            challenge = start_qr(url, ca_bundle=settings.ca_bundle)
            self.post_message(QrShown(qr_picture(challenge.url), challenge.code))
            while not worker.is_cancelled:
                token = poll_qr(url, challenge.code, ca_bundle=settings.ca_bundle)
                if token is not None:
                    self._logged_in(token)
                    return
                if datetime.now(UTC) >= challenge.expires_at:
                    self.post_message(LoginRefused("Срок действия QR-кода истёк: нажмите F8"))
                    return
                time.sleep(QR_POLL_SECONDS)
        except FrmrError as exc:
            self.post_message(LoginRefused(_login_text(exc)))

    def on_qr_shown(self, message: QrShown) -> None:
        # The code needs the whole height of 80×24: the form steps aside (F8 again for a new
        # code, Esc to work offline).
        self.query_one("#login-form").display = False
        self.query_one("#sandbox-credentials").display = False
        # One line each, so the code keeps the rest of the 24 rows.
        caption = Text("Госуслуги: отсканируйте и подтвердите вход · код ")
        caption.append(message.code, style="bold")
        if getattr(self.app, "sandbox", None):
            # No Госуслуги app reaches a sandbox: its approval is a command.
            from frmr.tui.shell_command import shown_command

            where = "\nПесочница, в другом терминале:"
            command = f"{shown_command('frmr')} sandbox approve {message.code}"
            # A full path may not fit beside the words: then it takes a line of its own.
            fits = len(f"{where} {command}") <= QR_CAPTION_WIDTH
            caption.append(f"{where} " if fits else f"{where}\n")
            caption.append(command, style="bold")
        self.show_error("")
        self.query_one("#qr-caption", Static).update(caption)
        self.query_one("#qr", Static).update(message.picture)

    def on_login_refused(self, message: LoginRefused) -> None:
        self.query_one("#login-form").display = True
        self.query_one("#qr", Static).update("")
        self.query_one("#qr-caption", Static).update("")
        self.show_error(message.text)

    def on_logged_in(self, _message: LoggedIn) -> None:
        self.app.notify("Вход выполнен", markup=False)
        self.dismiss(None)

    def action_offline(self) -> None:
        self.workers.cancel_group(self, "login")
        self.dismiss(None)

    def show_error(self, text: str) -> None:
        self.query_one("#login-error", Static).update(text)


def _login_text(exc: FrmrError) -> str:
    # The lockout's wait is in its message already, in minutes (sync.auth): said once.
    return exc.user_text()


def _snils_problem(login: str) -> str | None:
    """What is wrong with a login written as a СНИЛС, checked here: the registry would answer
    a typo with «не найден… обратитесь в отдел кадров». A СНИЛС is a login when it has its
    layout (123-456-789 01) or is 11 bare digits not starting as a phone does (7, 8); phones
    and e-mails are left to the registry."""
    import re

    from frmr.model.rules.errors import FieldInvalid
    from frmr.model.rules.snils import normalize_snils

    text = login.strip()
    laid_out = re.fullmatch(r"\d{3}-\d{3}-\d{3}[ -]\d{2}", text)
    bare = re.fullmatch(r"[0-69]\d{10}", text)
    if not (laid_out or bare):
        return None
    try:
        normalize_snils(text)
    except FieldInvalid as exc:
        return exc.user_text()
    return None
