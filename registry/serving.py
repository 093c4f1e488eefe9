"""Serving an ASGI app with uvicorn on a socket we bind ourselves (port 0, port file, workers)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

from frmr.model.store.private_files import write_private

if TYPE_CHECKING:
    from starlette.types import ASGIApp

WORKER_HEALTHCHECK_SECONDS = 60


def tcp_listener(host: str, port: int) -> socket.socket:
    """A listening socket created with IPPROTO_TCP, unlike uvicorn's `bind_socket`.

    asyncio turns Nagle's algorithm off only on sockets whose `proto` is IPPROTO_TCP, and
    accepted connections inherit the listener's; with proto 0 every small answer waited
    for the client's delayed ACK, about 40 ms a request.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def serve_app(
    app: str | ASGIApp,
    host: str,
    port: int,
    workers: int,
    port_file: Path | None = None,
    *,
    factory: bool = False,
    log_level: str = "info",
) -> None:
    """Bind, write the bound port to `port_file` (atomically), then serve until stopped."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        app, factory=factory, host=host, port=port, workers=workers, log_level=log_level
    )
    # A worker is spawned: it imports the app afresh before it answers the supervisor's ping,
    # and on a loaded machine that takes longer than uvicorn's 5 s, so every worker was
    # killed and respawned for ever. Set as an attribute: uvicorns before the option ignore it.
    config.timeout_worker_healthcheck = WORKER_HEALTHCHECK_SECONDS
    sock = tcp_listener(host, port)
    sock.listen(config.backlog)
    if port_file is not None:
        write_private(port_file, str(sock.getsockname()[1]).encode())
    if workers > 1:
        Multiprocess(config, sockets=[sock]).run()
    else:
        uvicorn.Server(config).run(sockets=[sock])
