"""Delivery through the sync engine next to a bare httpx loop, against one real registry.

N applications, each with one attached PDF, are filed locally and delivered by
`SyncEngine.run_cycle` (create + attach + submit, each answer recorded in the store as the
daemon does). In the same run, a bare httpx loop posts the same three requests with the
same payloads for another N applications to the same `frmr-registry serve` on loopback.
The two alternate in rounds, so both see a registry database of the same size.

    .venv/bin/python bench/sync_delivery.py [N] [ROUND]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from frmr.contract.protocol import IDEMPOTENCY_KEY, ApplicationCreate, Paths
from frmr.model.applications import lifecycle as apps
from frmr.model.documents.library import attach_files
from frmr.model.store.account import Account, open_account
from frmr.model.store.settings import load_settings
from frmr.model.store.tables import Application, Document
from frmr.sync.auth import login, save_token
from frmr.sync.client import RegistryClient
from frmr.sync.engine import SyncEngine
from frmr.sync.profile_push import adopt_remote_profile
from tests.samples import make_pdf
from tests.support.registry_process import registry_process


class Counting(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.requests: Counter[str] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests[request.method] += 1
        return super().handle_request(request)


def file_applications(account: Account, pdf: Path, count: int) -> list[str]:
    """Filed («В очереди на отправку») applications with `pdf` attached; not timed."""
    ids = []
    for _ in range(count):
        view = apps.new_application(
            account,
            specialty="Терапия",
            phone="+79161234567",
            email="bench@example.org",
            education_level="Высшее",
        )
        attach_files(account, view.app.id, [pdf])
        apps.form_application(account, view.app.id)
        apps.submit_application(account, view.app.id)
        ids.append(view.app.id)
    return ids


def bare_round(client: httpx.Client, template: ApplicationCreate, document_id: str, n: int) -> None:
    """What the engine sends per application, with nothing recorded anywhere."""
    for _ in range(n):
        app_id = str(uuid.uuid4())
        body = template.model_copy(update={"id": app_id}).model_dump(mode="json")
        client.post(
            Paths.APPLICATIONS, json=body, headers={IDEMPOTENCY_KEY: app_id}
        ).raise_for_status()
        client.post(
            Paths.APPLICATION_DOCUMENTS.format(id=app_id), json={"document_id": document_id}
        ).raise_for_status()
        answer = client.post(
            Paths.APPLICATION_SUBMIT.format(id=app_id), headers={IDEMPOTENCY_KEY: f"{app_id}:1"}
        )
        answer.raise_for_status()
        assert answer.json()["status"] == "under_review", answer.text


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    per_round = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    base = Path(tempfile.mkdtemp(prefix="frmr-sync-bench-"))
    try:
        with registry_process(base / "registry") as registry:
            login_name, password = registry.seed_demo()
            os.environ.update(
                FRMR_HOME=str(base / "home"),
                FRMR_CONFIG=str(base / "config.toml"),
                FRMR_REGISTRY_URL=registry.url,
            )
            settings = load_settings()
            token = login(registry.url, login_name, password)
            save_token(settings.token_path, token)
            account = open_account(settings)
            pdf = make_pdf(base / "diploma.pdf", size=200_000)
            transport = Counting()
            client = RegistryClient(registry.url, token=token.access_token, transport=transport)
            engine = SyncEngine(account.store, client)
            # Adopt the profile and upload the document once, outside the timing.
            adopt_remote_profile(engine.link)
            file_applications(account, pdf, 1)
            engine.run_cycle()
            with account.store.read() as session:
                document = session.exec(select(Document)).one()
                sample = session.exec(select(Application)).one()
            template = ApplicationCreate(
                id=sample.id,
                kind=sample.kind.value,
                specialty_code=sample.specialty_code,
                specialty_name=sample.specialty_name,
                education_level=sample.education_level or "",
                phone=sample.phone,
                email=sample.email,
                report_agreed=True,
                comment=sample.comment,
            )
            bare = httpx.Client(
                base_url=registry.url,
                headers={"Authorization": f"Bearer {token.access_token}"},
                timeout=30,
            )
            transport.requests.clear()
            engine_seconds = bare_seconds = 0.0
            delivered = 0
            done = 0
            while done < count:
                n = min(per_round, count - done)
                file_applications(account, pdf, n)  # not timed: the worker's part
                started = time.perf_counter()
                report = engine.run_cycle()
                engine_seconds += time.perf_counter() - started
                delivered += report.delivered
                started = time.perf_counter()
                bare_round(bare, template, document.id, n)
                bare_seconds += time.perf_counter() - started
                done += n
            bare.close()
            client.close()
            account.close()
        requests = sum(transport.requests.values())
        print(f"applications: {count} each, rounds of {per_round}")
        print(f"bare httpx loop: {bare_seconds:.2f} s ({count / bare_seconds:.1f} /s)")
        print(
            f"sync engine:     {engine_seconds:.2f} s ({count / engine_seconds:.1f} /s, "
            f"{engine_seconds / bare_seconds:.2f}x), {delivered} delivered, "
            f"{requests / count:.2f} requests per application"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
