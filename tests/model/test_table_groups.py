"""The store's tables load by group (model/store/tables/__init__.py): a group loaded alone
must hold every table its rows refer to, or inserting a row fails to resolve a foreign key;
and every name and every table is reachable through the package."""

from __future__ import annotations

import importlib

from frmr.model.store import tables
from frmr.model.store.tables.base import SyncColumns


def test_every_group_holds_the_tables_its_foreign_keys_name() -> None:
    tables.load_all()
    module_of_table = {
        table.name: module
        for module in tables._GROUPS
        for value in vars(importlib.import_module(f"{tables.__name__}.{module}")).values()
        if (table := getattr(value, "__table__", None)) is not None
    }
    assert set(module_of_table) == set(tables.metadata.tables)
    for module, group in tables._GROUPS.items():
        assert module in group
        for table_name in (t for t, m in module_of_table.items() if m == module):
            for fk in tables.metadata.tables[table_name].foreign_keys:
                target = fk.target_fullname.split(".")[0]
                assert module_of_table[target] in group, (table_name, fk.target_fullname)


def test_every_name_resolves_and_the_synced_tables_are_synced_rows() -> None:
    for name in tables.__all__:
        assert getattr(tables, name) is not None, name
    assert all(issubclass(table, SyncColumns) for table in tables.SYNCED_TABLES)
