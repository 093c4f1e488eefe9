"""The daemon the TUI starts beside the sandbox registry (sync/sandbox.py), with the sandbox's
short pull interval."""

from __future__ import annotations

import logging

from frmr.model.store.settings import Settings

log = logging.getLogger("tui.sandbox")

# The sandbox daemon pulls decisions this often (the production default is minutes), so the
# sandbox's automatic review shows within seconds.
SANDBOX_PULL_SECONDS = 5


def daemon_env(settings: Settings) -> dict[str, str]:
    """What the daemon is started with beyond the TUI's own environment.

    A sandbox daemon is not pinned to the sandbox's URL: it reads `sandbox/registry.json` each
    cycle (sync.registry_url), so a sandbox restarted on another port is still found. It pulls
    often, so the sandbox's automatic decision shows within seconds; a pull interval the user
    set (FRMR_PULL_SECONDS or the TOML file) is kept.
    """
    if not settings.is_sandbox:
        return {}
    if "pull_seconds" in settings.explicit:
        return {}
    return {"FRMR_PULL_SECONDS": str(SANDBOX_PULL_SECONDS)}


def start_daemon(settings: Settings) -> str:
    """Start the user's daemon unless it runs; the answer is a Russian sentence to show."""
    from frmr.daemon.launcher import is_running, start_detached

    if is_running(settings):
        return "Фоновая служба уже работает"
    try:
        pid = start_detached(settings, env_overrides=daemon_env(settings) or None)
    except RuntimeError as exc:
        log.error("starting the daemon failed: %s", exc)
        return f"Фоновая служба не запустилась: см. {settings.log_dir}"
    return f"Фоновая служба запущена (pid {pid})"
