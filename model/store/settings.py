"""Settings, read once from one place: environment (FRMR_*), then a TOML file, then defaults.

A dataclass read by hand (tomllib and os.environ) rather than pydantic-settings, whose
import alone cost 0.2–0.3 s of CPU, more than a whole `frmr apps list` may take
(bench/README.md, «Session 6»). A setting is a field: its type says how a value is read
(model.store.settings_source), `one_of` and `bounds` add the checks a type can't say. The
annotations are evaluated (no `from __future__ import annotations`) because the reader
goes by them.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from frmr.model.readiness.choices import PK_HOURS_CHOICES
from frmr.model.rules.errors import FrmrError
from frmr.model.store.locations import APP_NAME, HomeLayout, config_file, default_home
from frmr.model.store.settings_source import bounds, not_read, one_of, read_fields

if TYPE_CHECKING:
    from frmr.model.documents.packing.recompress import PackProfile

# sun_path holds 108 bytes on Linux, 104 on the BSDs, the terminating NUL included.
SOCKET_PATH_MAX = 100


# The packed file's name (model.documents.packing.naming checks and fills it). Here, not
# there: importing that module runs the packing package's imports, 50 ms of every start.
DEFAULT_NAME_TEMPLATE = "{surname} {initials} — {title} на {pages} л"


@dataclass
class Settings:
    home: Path = field(default_factory=default_home)
    registry_url: str | None = None
    ca_bundle: Path | None = None
    runtime_dir: Path | None = None
    keymap: dict[str, str] = field(default_factory=dict)
    # Readings of the accreditation rules where sources disagree (`frmr rules` shows both):
    # the ПК minimum, 72 (709н pages) or 74 (the 2021 letter) hours, and the window,
    # 12 months ("12m") or 90 days ("90d").
    readiness_pk_hours: int | None = field(default=None, metadata=one_of(PK_HOURS_CHOICES))
    readiness_window: Literal["12m", "90d"] | None = None

    # --- the daemon's timing; tests shrink these to stay fast ---------------------------
    # A dropped file is taken once its size and mtime have been quiet this long (scp and
    # rsync write in bursts; a scanner may pause between pages).
    settle_seconds: float = 1.0
    # A dropped file that is not whole by its own end marks (a PDF without %%EOF…) and that
    # no process holds open is held this long, then refused as «файл не докачан».
    incomplete_seconds: float = 600.0
    # Watcher events are hints: a full rescan this often catches whatever they missed.
    rescan_seconds: float = 300.0
    # How long one request may keep retrying before the attempt counts as failed.
    retry_budget_seconds: float = 20.0
    # «Не доставлено»: the first wait before resubmitting, doubling up to the cap; the
    # schedule is stored per application so it survives restarts.
    resubmit_base_seconds: float = 30.0
    resubmit_cap_seconds: float = 3600.0
    # Review decisions are pulled this often; local edits and socket requests sync at once.
    pull_seconds: float = 300.0
    # After a failed sync cycle: the first wait, doubling up to the cap, so an unreachable
    # registry is not hammered.
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    # The polling observer's period when inotify can't be used (its limits are reached).
    polling_seconds: float = 5.0
    # Use the polling observer even when inotify works (network filesystems send no events).
    force_polling: bool = False

    # --- the sandbox (sync/sandbox.py) ------------------------------------------------------
    # The sandbox decides each application by itself this many seconds after delivery, so a
    # new user sees a decision arrive; 0 leaves every decision to `frmr sandbox review`.
    sandbox_auto_review_seconds: float = field(default=20.0, metadata=bounds(ge=0))

    # --- packing documents to fit the portal's limits (model/packing) --------------------
    # Pack a dropped file that would break the limits instead of refusing it.
    auto_pack: bool = True
    # The packed file's name; fields {surname}, {initials}, {title}, {pages}; ".pdf" is added.
    pack_name_template: str = DEFAULT_NAME_TEMPLATE
    # Page images are never brought below this resolution: text stays legible at 150 dpi.
    pack_dpi_floor: int = field(default=150, metadata=bounds(ge=72, le=600))
    pack_max_dpi: int = field(default=150, metadata=bounds(ge=72, le=600))
    # JPEG quality: the preferred one, and the lowest the packer may go to.
    pack_quality: int = field(default=80, metadata=bounds(ge=10, le=95))
    pack_min_quality: int = field(default=30, metadata=bounds(ge=10, le=95))

    # --- notifications (model/notifications/events.py; README: «Уведомления») -----------------
    # A command run for each event, with the event as JSON on stdin and FRMR_EVENT_*
    # variables; split like a shell line, but no shell runs it.
    notify_command: str | None = None
    notify_command_timeout: float = field(default=30.0, metadata=bounds(gt=0, le=600))
    # E-mail: the address told, and the SMTP server that sends for it (TLS always verified;
    # "starttls" on 587, "tls" on 465). The password is read from a file, never argv.
    notify_email: str | None = None
    smtp_host: str | None = None
    smtp_port: int | None = field(default=None, metadata=bounds(ge=1, le=65535))
    smtp_security: Literal["starttls", "tls"] = "starttls"
    smtp_user: str | None = None
    smtp_password_file: Path | None = None
    smtp_from: str | None = None
    smtp_ca_bundle: Path | None = None
    smtp_timeout: float = field(default=30.0, metadata=bounds(gt=0, le=600))
    # One e-mail for everything that happened in this many minutes (0: one per event).
    notify_digest_minutes: float = field(default=0.0, metadata=bounds(ge=0))
    # How long a filed application may stay undelivered before the doctor is told.
    notify_delivery_hours: float = field(default=24.0, metadata=bounds(gt=0))
    # Lead times: the window's opening and closing, and the certificate's expiry.
    notify_window_days: int = field(default=30, metadata=bounds(ge=0, le=366))
    notify_certificate_days: int = field(default=60, metadata=bounds(ge=0, le=366))
    # A failed notification is tried again after this, doubling up to the cap.
    notify_retry_base_seconds: float = field(default=60.0, metadata=bounds(gt=0))
    notify_retry_cap_seconds: float = field(default=3600.0, metadata=bounds(gt=0))

    # --- reading dropped удостоверения and НМО certificates (model/ocr) ------------------
    # Read documents dropped into the library's root and propose the courses they prove.
    read_documents: bool = True
    # A document is read up to this many pages and this many seconds: an удостоверение is
    # one or two pages; a 200-page book dropped by mistake must not hold the worker.
    read_max_pages: int = field(default=4, metadata=bounds(ge=1, le=100))
    read_max_seconds: float = field(default=60.0, metadata=bounds(gt=0, le=3600))
    # Tesseract's model folder (tessdata); empty: where the system's packages put it.
    tessdata_dir: str = ""

    # The names set by an override, the environment or the file, not left to a default.
    explicit: frozenset[str] = field(
        default=frozenset(), repr=False, compare=False, metadata=not_read()
    )

    @property
    def layout(self) -> HomeLayout:
        return HomeLayout(self.home)

    @property
    def database_path(self) -> Path:
        return self.layout.database

    @property
    def documents_dir(self) -> Path:
        return self.layout.documents_dir

    @property
    def rejected_dir(self) -> Path:
        return self.layout.rejected_dir

    @property
    def token_path(self) -> Path:
        return self.layout.token_path

    @property
    def log_dir(self) -> Path:
        return self.layout.log_dir

    @property
    def control_socket(self) -> Path:
        import hashlib
        import tempfile

        base = self.runtime_dir
        if base is None:
            xdg = os.environ.get("XDG_RUNTIME_DIR")
            base = Path(xdg) / APP_NAME if xdg else self.home / "run"
        # One daemon per data dir: the socket name carries a digest of the home path, and stays
        # short because AF_UNIX paths are limited to about 100 bytes.
        digest = hashlib.sha256(str(self.home.resolve()).encode()).hexdigest()[:12]
        path = base / f"daemon-{digest}.sock"
        if len(os.fsencode(path)) > SOCKET_PATH_MAX:
            # A deep FRMR_HOME: a short per-user folder in the temp dir instead, as tmux does
            # (/tmp/tmux-UID); the control server refuses it unless it is ours and private.
            path = Path(tempfile.gettempdir()) / f"frmr-{os.getuid()}" / path.name
        return path

    @property
    def pack_profile(self) -> "PackProfile":
        from frmr.model.documents.packing.recompress import PackProfile

        floor = self.pack_dpi_floor
        return PackProfile(
            dpi_floor=floor,
            max_dpi=max(floor, self.pack_max_dpi),
            quality=self.pack_quality,
            min_quality=min(self.pack_quality, self.pack_min_quality),
        )

    @property
    def is_sandbox(self) -> bool:
        return self.registry_url is None


class SettingsInvalid(FrmrError):
    """A setting in the TOML file or an FRMR_* variable that Settings can't take."""

    code = "settings_invalid"


def _config_table(path: Path) -> dict[str, object]:
    """The TOML file's table; {} when there is no file."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise SettingsInvalid(
            f"Не удалось прочитать файл настроек {path}",
            f"settings file unreadable: {error}",
            fix="Исправьте права на этот файл или удалите его",
        ) from error
    # Imported only when there is a file to parse: most homes have none.
    import tomllib

    try:
        with file:
            return tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsInvalid(
            f"Не удалось прочитать файл настроек {path}",
            f"settings file unreadable: {error}",
            fix="Исправьте или удалите этот файл",
        ) from error


def load_settings(**overrides: object) -> Settings:
    """Settings from `overrides`, then FRMR_* variables, then the TOML file, then defaults."""
    path = config_file()
    values, problems = read_fields(Settings, "FRMR_", _config_table(path), overrides)
    if problems:
        names = sorted(problems)
        raise SettingsInvalid(
            f"Неверное значение настройки {', '.join(names)}",
            "invalid settings: " + "; ".join(f"{n}: {problems[n]}" for n in names),
            fix=f"Исправьте его в файле {path} или в переменной окружения "
            + ", ".join(f"FRMR_{name.upper()}" for name in names),
        )
    return Settings(**values, explicit=frozenset(values))  # type: ignore[arg-type]
