"""Files whose names carry a newline, an escape sequence or a bidi override, dropped into a
running daemon's folder: each goes to rejected/ with a Russian reason, nothing is imported,
and no log line, note or `frmr` listing prints the name raw (model.rules.text.check_file_name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from frmr.model.documents.library import list_documents
from frmr.model.store.account import open_account
from tests.cli.test_cli import Frmr
from tests.samples import make_pdf
from tests.support.daemon_process import DaemonProcess, wait_for
from tests.support.world import World

pytestmark = pytest.mark.real_process

FORGED = "2026-12-06 20:00:00,000 INFO frmr.daemon.intake: подделка"
HOSTILE = {
    "newline": f"скан\n{FORGED}.pdf",
    "osc": "\x1b]0;pwned\x07диплом.pdf",
    "sgr": "\x1b[31mпаспорт.pdf",
    "rlo": "отчёт\u202efdp.exe",
    "cr": "справка\rподделка.pdf",
}
RAW = ("\x1b", "\x07", "\u202e", "\r")


def _raw_in(text: str) -> list[str]:
    return [repr(c) for c in RAW if c in text]


def test_hostile_names_go_to_rejected_with_a_reason_and_print_escaped(world: World) -> None:
    folder = world.settings.documents_dir
    daemon = DaemonProcess(world.settings)
    daemon.start()
    try:
        for index, name in enumerate(HOSTILE.values()):
            make_pdf(folder / name, salt=str(index))
        make_pdf(folder / "обычный скан.pdf", salt="ok")
        with open_account(world.settings) as account:
            wait_for(
                lambda: (
                    (s := daemon.status()) is not None
                    and s.rejected_files == len(HOSTILE)
                    and len(list_documents(account)) == 1
                )
            )
            assert [d.file_name for d in list_documents(account)] == ["обычный скан.pdf"]
        assert daemon.terminate() == 0
    finally:
        daemon.kill()
    rejected = world.settings.rejected_dir
    for name in HOSTILE.values():
        # The worker's file, bytes and name untouched, beside a note saying why.
        assert (rejected / name).read_bytes()[:5] == b"%PDF-"
        note = (rejected / (name + ".причина.txt")).read_text(encoding="utf-8")
        assert "Что не так: Имя файла «" in note and "недопустим" in note, note
        assert "Переименуйте файл" in note
        assert _raw_in(note) == [], note
        assert not any(line.startswith(FORGED) for line in note.splitlines()), note
    log = world.settings.layout.daemon_log.read_text(encoding="utf-8")
    stderr = daemon.stderr.read_text(encoding="utf-8")
    for text in (log, stderr):
        assert "\\x1b]0;pwned" in text  # the names were logged, escaped
        assert _raw_in(text) == []
        assert not any(line.startswith(FORGED) for line in text.splitlines())
    frmr = Frmr(world.settings.home, world.settings.home.parent / "config.toml")
    listing = frmr("documents", "rejected").stdout
    assert listing.count("Имя файла «") == len(HOSTILE), listing
    assert _raw_in(listing) == []
    assert not any(line.startswith(FORGED) for line in listing.splitlines())


def test_names_stored_before_the_rule_print_escaped(world: World, tmp_path: Path) -> None:
    """The second line of defence: a name already in the store (written by an older frmr,
    or through any path that missed the rule) is escaped by every listing that prints it."""
    from frmr.model.applications import lifecycle as apps
    from frmr.model.documents.library import attach_files
    from frmr.model.store.tables import Document

    view = apps.new_application(
        world.account,
        specialty="Терапия",
        phone="+79161234567",
        email="demo@example.org",
        education_level="Высшее",
    )
    (attached,) = attach_files(world.account, view.app.id, [make_pdf(tmp_path / "скан.pdf")])
    name = HOSTILE["osc"].replace(".pdf", f"\n{FORGED}\u202e.pdf")
    with world.account.store.write() as session:
        row = session.get(Document, attached.id)
        assert row is not None
        row.file_name = name
        session.add(row)
    frmr = Frmr(world.settings.home, world.settings.home.parent / "config.toml")
    for args in (
        ("documents", "list"),
        ("documents", "list", "--json"),
        ("apps", "show", view.app.id),
        ("apps", "show", view.app.id, "--json"),
    ):
        out = frmr(*args).stdout
        assert "pwned" in out, (args, out)
        assert _raw_in(out) == [], (args, out)
        assert not any(line.startswith(FORGED) for line in out.splitlines()), (args, out)
