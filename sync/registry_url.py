"""Which registry to talk to, and whether it may be talked to at all.

The configured URL wins, else the sandbox the TUI started. Plain HTTP carries the password at
login and the bearer token on every sync, so it is allowed only to this machine: the host
must be `localhost` or a loopback IP literal. A name is never resolved to decide, because
whoever controls DNS (or /etc/hosts on a shared machine) would then decide for us.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from frmr.model.store.settings import Settings
from frmr.sync.errors import CaBundleUnreadable, InsecureRegistryUrl

LOOPBACK_NAME = "localhost"


def read_info(settings: Settings) -> dict[str, Any]:
    """`$FRMR_HOME/sandbox/registry.json` as sync.sandbox writes it (url, admin_token, pid,
    login, password), or {} when there is none (or it is unreadable)."""
    try:
        data = json.loads(settings.layout.sandbox_info.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def resolve_registry_url(settings: Settings) -> str | None:
    if settings.registry_url:
        return settings.registry_url
    url = read_info(settings).get("url")
    return url if isinstance(url, str) and url else None


def is_loopback_host(host: str) -> bool:
    """`localhost` or a loopback IP literal (127.0.0.0/8, ::1); never a lookup."""
    if host.lower() == LOOPBACK_NAME:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_safe_url(url: str) -> str:
    """The URL unchanged when credentials may travel over it, else InsecureRegistryUrl."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        parts, host = None, ""
    scheme = parts.scheme.lower() if parts is not None else ""
    if scheme == "https" and host:
        return url
    if scheme == "http" and host and is_loopback_host(host):
        return url
    raise InsecureRegistryUrl(url, scheme, host)


def bundle_verification(ca_bundle: Path) -> ssl.SSLContext:
    """The system trust store plus the configured bundle (e.g. Russian Trusted Root CA); a
    bundle that can't be loaded is CaBundleUnreadable, raised before any connection."""
    context = ssl.create_default_context()
    try:
        context.load_verify_locations(cafile=str(ca_bundle))
    except FileNotFoundError:
        raise CaBundleUnreadable(str(ca_bundle), "файл не найден") from None
    except PermissionError:
        raise CaBundleUnreadable(str(ca_bundle), "нет прав на чтение") from None
    except IsADirectoryError:
        raise CaBundleUnreadable(str(ca_bundle), "это папка, а не файл") from None
    except (OSError, ssl.SSLError) as error:
        raise CaBundleUnreadable(
            str(ca_bundle), f"в файле нет сертификатов PEM ({type(error).__name__})"
        ) from None
    return context


def check_transport(registry_url: str | None, ca_bundle: Path | None) -> None:
    """At startup: refuse a clear-text registry URL or an unreadable CA bundle at once,
    rather than at the first sync, minutes later, in a log nobody reads. Here, not beside
    the HTTP client: a refused address or bundle costs none of its import (~0.2 s of CPU)."""
    if registry_url:
        require_safe_url(registry_url)
    if ca_bundle is not None:
        bundle_verification(ca_bundle)
