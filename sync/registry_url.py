"""Which registry to talk to: the configured one, else the sandbox the TUI started."""

from __future__ import annotations

import json

from frmr.model.settings import Settings


def sandbox_info(settings: Settings) -> dict[str, object] | None:
    """`$FRMR_HOME/sandbox/registry.json` as written by the TUI: url, admin_token, pid."""
    try:
        data = json.loads(settings.layout.sandbox_info.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def resolve_registry_url(settings: Settings) -> str | None:
    if settings.registry_url:
        return settings.registry_url
    info = sandbox_info(settings)
    url = info.get("url") if info else None
    return url if isinstance(url, str) and url else None
