"""`frmr doctor`: paths, permissions, schema version and integrity, each a named check."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

from frmr.model.store.account import Account


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _mode_check(name: str, path: Path, wanted: int) -> Check:
    if not path.exists():
        return Check(name, False, f"{path}: нет такого пути")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Check(name, False, f"{path}: права {mode:o}, должны быть {wanted:o}")
    return Check(name, True, f"{path} ({mode:o})")


def run_checks(account: Account, *, deep: bool = False) -> list[Check]:
    """`deep`: also re-read every blob and compare it with the hash it is named by."""
    store = account.store
    checks = [
        _mode_check("data_dir", store.home, 0o700),
        _mode_check("database", store.db_path, 0o600),
        _mode_check("blobs", store.blobs.root, 0o700),
        _mode_check("documents", account.documents_dir, 0o700),
    ]
    schema = store.schema()
    checks.append(
        Check(
            "schema",
            schema.current == schema.head,
            f"ревизия {schema.current}, код знает {schema.head}",
        )
    )
    integrity = store.integrity_check()
    checks.append(Check("integrity", integrity == ["ok"], "; ".join(integrity)))
    if deep:
        checked, bad = store.blobs.verify()
        detail = f"файлов проверено: {checked}"
        if bad:
            detail += "; не совпадает содержимое: " + ", ".join(p.name for p in bad)
        checks.append(Check("blobs_hash", not bad, detail))
    return checks
