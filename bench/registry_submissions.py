"""Submissions per second through the registry's HTTP API (create + attach + submit).

Runs the real ``frmr-registry serve`` on loopback with 1 and 4 uvicorn workers, on SQLite
and (when FRMR_TEST_PG_URL is set, see .ci/postgres.sh) on PostgreSQL, next to a bare
FastAPI endpoint served the same way. Bounded: a fixed number of submissions each.

    .venv/bin/python bench/registry_submissions.py [--submissions 300] [--clients 8]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
from sqlalchemy.engine import make_url

from frmr.contract.protocol import Paths
from frmr.model.rules.clock import today, utcnow
from frmr.model.rules.snils import snils_check_number
from frmr.registry.db import prepare_database
from frmr.registry.employees import NewEmployee, add_employee
from frmr.registry.seed import demo_portfolio
from frmr.registry.settings import RegistrySettings
from frmr.registry.tables import PortfolioItem

PASSWORD = "bench-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def seed(db_url: str, people: int) -> list[str]:
    db = prepare_database(RegistrySettings(db_url=db_url))
    snils_list = []
    with db.write() as session:
        for n in range(people):
            first9 = f"{100_000_000 + n * 7919:09d}"
            snils = first9 + snils_check_number(first9)
            employee = add_employee(
                session, NewEmployee(snils, "Бенч", "Тест", "ГБУЗ «Больница»"), PASSWORD
            )
            for collection, item in demo_portfolio(today()):
                data = item.model_dump(mode="json")
                if "organization" in data:
                    data["organization"] = "ГБУЗ «Больница»"
                session.add(
                    PortfolioItem(
                        person_id=employee.id,
                        collection=collection,
                        id=str(uuid.uuid4()),
                        data=data,
                        updated_at=utcnow(),
                    )
                )
            snils_list.append(snils)
    db.engine.dispose()
    return snils_list


def prepare_client(url: str, snils: str) -> tuple[httpx.Client, str]:
    """Log in and upload the one document every submission attaches (outside the timing)."""
    client = httpx.Client(base_url=url, timeout=60)
    token = client.post(Paths.LOGIN, json={"login": snils, "password": PASSWORD}).json()
    client.headers["Authorization"] = f"Bearer {token['access_token']}"
    content = b"%PDF-1.7\n" + snils.encode() + b"0" * 4096
    document = client.post(
        Paths.DOCUMENTS,
        content=content,
        headers={
            "X-Content-SHA256": hashlib.sha256(content).hexdigest(),
            "X-Document-Id": str(uuid.uuid4()),
        },
    ).json()
    return client, str(document["id"])


def submit_many(client: httpx.Client, document_id: str, count: int) -> int:
    done = 0
    for _ in range(count):
        app_id = str(uuid.uuid4())
        body = {
            "id": app_id, "kind": "periodic", "specialty_code": "75",
            "specialty_name": "Терапия", "education_level": "higher",
            "phone": "+79161234567", "email": "b@example.org", "report_agreed": True,
        }  # fmt: skip
        client.post(
            Paths.APPLICATIONS, json=body, headers={"Idempotency-Key": app_id}
        ).raise_for_status()
        client.post(
            Paths.APPLICATION_DOCUMENTS.format(id=app_id), json={"document_id": document_id}
        ).raise_for_status()
        answer = client.post(
            Paths.APPLICATION_SUBMIT.format(id=app_id),
            headers={"Idempotency-Key": f"{app_id}:1"},
        )
        answer.raise_for_status()
        done += answer.json()["status"] == "under_review"
    return done


def bench_registry(db_url: str, workers: int, submissions: int, clients: int) -> float:
    people = seed(db_url, clients)
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        process = subprocess.Popen(
            [sys.executable, "-m", "frmr.registry.cli", "serve", "--db", db_url, "--port", "0",
             "--port-file", str(port_file), "--workers", str(workers)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            while not port_file.exists():
                time.sleep(0.05)
            url = f"http://127.0.0.1:{port_file.read_text()}"
            wait_ready(url + Paths.HEALTH, process)
            per_client = submissions // clients
            with ThreadPoolExecutor(clients) as pool:
                prepared = list(pool.map(lambda s: prepare_client(url, s), people))
                # Every worker process answers before the clock starts.
                list(pool.map(lambda p: submit_many(p[0], p[1], 2), prepared))
                started = time.perf_counter()
                done = sum(pool.map(lambda p: submit_many(p[0], p[1], per_client), prepared))
                elapsed = time.perf_counter() - started
            for client, _ in prepared:
                client.close()
        finally:
            process.terminate()
            process.wait(timeout=20)
    return done / elapsed


def bench_bare(workers: int, requests: int, clients: int) -> float:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.registry_bare_app:app", "--port", str(port),
         "--workers", str(workers), "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url + "/ping", process)

        def run(count: int) -> int:
            with httpx.Client(base_url=url, timeout=30) as client:
                for _ in range(count):
                    client.post("/ping").raise_for_status()
            return count

        with ThreadPoolExecutor(clients) as pool:
            # Warm up: uvicorn answers health once one worker is up, the others may still boot.
            sum(pool.map(run, [50] * clients))
            started = time.perf_counter()
            done = sum(pool.map(run, [requests // clients] * clients))
            elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=20)
    return done / elapsed


def fresh_pg_database(base: str) -> str:
    url = make_url(base)
    name = f"frmr_bench_{uuid.uuid4().hex[:8]}"
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--submissions", type=int, default=240)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    print(f"cpus: {os.cpu_count()}, clients: {args.clients}, submissions: {args.submissions}")
    for workers in (1, 4):
        bare = bench_bare(workers, args.submissions * 3, args.clients)
        print(f"bare FastAPI       workers={workers}: {bare:8.1f} requests/s "
              f"(= {bare / 3:7.1f} three-request rounds/s)")  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            rate = bench_registry(
                f"sqlite:///{tmp}/bench.db", workers, args.submissions, args.clients
            )
        print(f"registry SQLite    workers={workers}: {rate:8.1f} submissions/s")
        pg = os.environ.get("FRMR_TEST_PG_URL")
        if pg:
            rate = bench_registry(fresh_pg_database(pg), workers, args.submissions, args.clients)
            print(f"registry PostgreSQL workers={workers}: {rate:8.1f} submissions/s")
        else:
            print("registry PostgreSQL: skipped (set FRMR_TEST_PG_URL, see .ci/postgres.sh)")


if __name__ == "__main__":
    main()
