"""A real registry for the sync and daemon tests: `frmr-registry serve` as a subprocess.

It can be stopped and started again on the same port (the "unplug the registry" story),
and exposes the admin fault switch, the registry's own CLI, and a demo account of one's own
(`new_person`), so tests that share one registry see none of each other's data. The CLI
(seeding, listing, review) runs in-process on the same database file, as the operator's
separate process would: as a subprocess each call cost about 2 s of CPU in imports.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import os
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from frmr.contract.protocol import ADMIN_TOKEN, Faults, Paths

ADMIN = "test-admin-token"
DEMO_PASSWORD = "demo-password-1"
DEMO_LOGIN = "112-233-445 95"
_PEOPLE = itertools.count(1)


@functools.cache
def _demo_password_hash(password: str) -> str:
    from frmr.registry.passwords import hash_password

    return hash_password(password)


@functools.cache
def _tls() -> ssl.SSLContext:
    """One SSL context for the admin calls: httpx would load the CA bundle into a new one for
    each (29 ms of CPU, two a test), which plain HTTP on loopback never uses."""
    return ssl.create_default_context()


class RegistryProcess:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.db = workdir / "registry.db"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.admin_token = ADMIN

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start serving; after a stop, on the port it had before."""
        port_file = self.workdir / "port"
        port_file.unlink(missing_ok=True)
        log = (self.workdir / "server.log").open("ab")
        command = [
            sys.executable, "-m", "frmr.registry.cli", "serve", "--db", str(self.db),
            "--port", str(self.port), "--port-file", str(port_file),
            "--sandbox",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "FRMR_REGISTRY_ADMIN_TOKEN": ADMIN},
        )
        log.close()
        deadline = time.monotonic() + 90
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"registry exited: {self.log()}")
            if port_file.exists():
                self.port = int(port_file.read_text())
                with contextlib.suppress(httpx.TransportError):
                    health = httpx.get(self.url + Paths.HEALTH, timeout=2, verify=_tls())
                    if health.status_code == 200:
                        return
            if time.monotonic() > deadline:
                self.process.kill()
                raise RuntimeError(f"registry did not start: {self.log()}")
            time.sleep(0.05)

    def ensure_running(self) -> None:
        """Started again if a test stopped it, or it died: the next user finds it serving."""
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        path = self.workdir / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def cli(self, *args: str, input: str | None = None) -> str:
        # Imported here: the registry's server side (FastAPI, SQLModel) stays out of the
        # test process until a test asks for the CLI.
        from frmr.registry.cli import main

        result = CliRunner().invoke(
            main,
            [*args, "--db", str(self.db)],
            input=input,
            prog_name="frmr-registry",
            catch_exceptions=False,
        )
        assert result.exit_code == 0, (args, result.output)
        return result.stdout

    def seed_demo(self) -> tuple[str, str]:
        self.cli("seed-demo", "--password-stdin", input=DEMO_PASSWORD + "\n")
        return DEMO_LOGIN, DEMO_PASSWORD

    def new_person(self) -> tuple[str, str]:
        """A demo employee of one's own (the demo's card and portfolio, a fresh СНИЛС, phone
        and e-mail), entered in-process on the database file as the operator's seed-demo
        would; returns the login and password."""
        from dataclasses import replace

        from frmr.model.rules.snils import format_snils, snils_check_number
        from frmr.registry import employees
        from frmr.registry.db import Database, make_engine
        from frmr.registry.seed import DEMO, seed_demo

        # Unique in this process's registries, none of which is shared with another process;
        # the leading 9 keeps clear of the demo's 112-233-445 95.
        n = next(_PEOPLE)
        first9 = f"9{n:08d}"
        snils = first9 + snils_check_number(first9)
        person = replace(DEMO, snils=snils, phone=f"+79{n:09d}", email=f"w{n}@example.org")
        db = Database(make_engine(f"sqlite:///{self.db}"))
        try:
            with pytest.MonkeyPatch.context() as patch, db.write() as session:
                # The password's scrypt hash is made once a process (50 ms of CPU a person);
                # each login still checks the password against it in the registry.
                patch.setattr(employees, "hash_password", _demo_password_hash)
                seed_demo(session, DEMO_PASSWORD, person)
        finally:
            db.engine.dispose()
        return format_snils(snils), DEMO_PASSWORD

    def applications(self) -> list[dict[str, Any]]:
        listing: list[dict[str, Any]] = json.loads(self.cli("applications", "--json"))
        return listing

    def set_faults(self, **fields: Any) -> None:
        body = Faults(**fields).model_dump(mode="json")
        response = httpx.put(
            self.url + Paths.ADMIN_FAULTS,
            json=body,
            headers={ADMIN_TOKEN: ADMIN},
            timeout=5,
            verify=_tls(),
        )
        response.raise_for_status()

    def clear_faults(self) -> None:
        response = httpx.delete(
            self.url + Paths.ADMIN_FAULTS, headers={ADMIN_TOKEN: ADMIN}, timeout=5, verify=_tls()
        )
        response.raise_for_status()


@contextlib.contextmanager
def registry_process(workdir: Path) -> Iterator[RegistryProcess]:
    workdir.mkdir(parents=True, exist_ok=True)
    registry = RegistryProcess(workdir)
    registry.start()
    try:
        yield registry
    finally:
        registry.stop()
