"""The structured report over the wire: adopted from the registry with its blocks, pushed
back after an edit, and the application's «Согласование отчёта» taken from it."""

from __future__ import annotations

from frmr.contract.protocol import Paths
from frmr.model.report.record import load_report, update_report
from frmr.model.store.tables import ReportVariant
from frmr.sync.auth import load_token
from frmr.sync.client import RegistryClient
from frmr.sync.engine import SyncEngine
from tests.support.reads import stored_application
from tests.support.world import World


def test_the_report_round_trips_and_answers_for_the_application(world: World) -> None:
    adopted = load_report(world.account).report
    assert adopted.variant is ReportVariant.AGREED
    assert adopted.signer_position == "Главный врач"
    assert "диспансерное наблюдение" in adopted.department_text
    update_report(world.account, {"mentoring": "Наставник ординаторов", "variant": "head"})
    app_id = world.new_filed_application()
    token = load_token(world.settings.token_path)
    assert token is not None
    with RegistryClient(world.registry.url, token=token.access_token) as client:
        SyncEngine(world.account.store, client).run_cycle()
        (remote,) = client.send("GET", Paths.COLLECTION.format(collection="reports")).json()
        filed = client.send("GET", Paths.APPLICATION.format(id=app_id)).json()
    assert remote["mentoring"] == "Наставник ординаторов"
    assert (remote["variant"], remote["agreed"]) == ("head", False)
    assert remote["duties"] == adopted.duties
    assert filed["report_agreed"] is False
    assert stored_application(world.account, app_id).report_agreed is False
