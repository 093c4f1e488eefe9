"""The distribution installs one import package, `frmr`, and nothing under a generic name.

A top-level `daemon` or `model` would merge with other distributions' packages of the same
name in site-packages (python-daemon ships `daemon`), so the wheel must hold only `frmr/`
and its metadata, with every layer, migration and data file inside it.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("model", "contract", "sync", "console", "daemon", "tui", "registry", "cli")


def _build_wheel(out: Path) -> zipfile.ZipFile:
    built = list(WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"]))
    assert len(built) == 1
    return zipfile.ZipFile(built[0])


def test_wheel_holds_only_the_frmr_package(tmp_path: Path) -> None:
    with _build_wheel(tmp_path) as wheel:
        names = wheel.namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"frmr"}
    for layer in LAYERS:
        assert f"frmr/{layer}/__init__.py" in names, layer
    assert not any(name.startswith(("frmr/tests", "frmr/bench", "frmr/frmr")) for name in names)


def test_wheel_carries_the_files_the_code_opens_at_run_time(tmp_path: Path) -> None:
    with _build_wheel(tmp_path) as wheel:
        names = set(wheel.namelist())
    # model's data and rules, console's gettext catalogue.
    expected = {
        f"frmr/{path.relative_to(ROOT)}"
        for folder in ("model", "console")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert expected <= names
    assert any(name.startswith("frmr/tui/") and name.endswith(".tcss") for name in names)


def test_bare_layer_names_and_tests_are_not_importable_from_the_install(tmp_path: Path) -> None:
    probe = (
        "import importlib.util, sys\n"
        "sys.path[:] = [p for p in sys.path if p not in ('', '.')]\n"
        f"hidden = [n for n in {(*LAYERS, 'tests', 'bench')!r} if importlib.util.find_spec(n)]\n"
        "import frmr.model, frmr.daemon\n"
        "print(','.join(hidden))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
