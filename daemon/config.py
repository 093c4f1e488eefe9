"""The daemon's timing knobs, from FRMR_* variables like the rest of the settings.

They live apart from model.settings because only the daemon reads them; tests shrink
them (a short retry budget, a fast resubmission schedule) to stay fast.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class DaemonTuning(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRMR_", extra="ignore")

    # How long one request may keep retrying before the attempt counts as failed.
    retry_budget_seconds: float = 20.0
    # «Не доставлено»: first wait, doubling up to the cap (stored per application).
    resubmit_base_seconds: float = 30.0
    resubmit_cap_seconds: float = 3600.0
    # Review decisions are pulled this often; local edits and socket requests sync at once.
    pull_seconds: float = 300.0
    # After a failed sync cycle: the first wait, doubling up to the cap.
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    # The polling observer's period when inotify can't be used.
    polling_seconds: float = 5.0
    force_polling: bool = False
