"""`frmr report` end to end: edit from arguments and stdin, PDF, DOCX, attach, errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.cli.test_cli import Frmr, _fill_portfolio, frmr  # noqa: F401 (the fixture)


def test_report_is_edited_produced_and_attached(frmr: Frmr, tmp_path: Path) -> None:  # noqa: F811
    _fill_portfolio(frmr)
    shown = frmr.json("report", "show")
    assert shown["facts"]["organization"] == {"value": "ГБУЗ ГКБ № 1", "edited": False}  # type: ignore[index]
    frmr(
        "report",
        "set",
        "--file",
        "duties",
        "-",
        "variant=sole_proprietor",
        "position=Врач общей практики",
        stdin="Приём пациентов\nВыезды на дом\n",
    )
    shown = frmr.json("report", "show")
    assert shown["blocks"]["duties"] == "Приём пациентов\nВыезды на дом"  # type: ignore[index]
    assert shown["facts"]["position"]["edited"] is True  # type: ignore[index]
    assert shown["agreed"] is False  # type: ignore[index]

    pdf = Path(frmr("report", "pdf", "-o", str(tmp_path / "r.pdf")).stdout.strip())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Выезды на дом" in text and "индивидуального предпринимателя" in text
    docx = Path(frmr("report", "docx", "-o", str(tmp_path)).stdout.strip())
    assert docx.parent == tmp_path and docx.suffix == ".docx"

    app_id = frmr(
        "apps", "new", "--specialty", "Терапия", "--phone", "+79123456789", "--email", "a@b.ru"
    ).stdout.strip()
    assert "Приложен:" in frmr("report", "attach", app_id[:8]).stdout
    (app,) = frmr.json("apps", "list")  # type: ignore[misc]
    assert [a["file_name"].endswith(".pdf") for a in app["attachments"]] == [True]
    assert app["report_agreed"] is False


def test_control_characters_are_refused_with_exit_2(frmr: Frmr) -> None:  # noqa: F811
    bad = frmr("report", "set", "mentoring=Наставник\x1b[31m", ok=False)
    assert bad.returncode == 2
    assert "управляющий символ" in bad.stderr
    unknown = frmr("report", "set", "colour=red", ok=False)
    assert unknown.returncode == 2 and "Поля:" in unknown.stderr
