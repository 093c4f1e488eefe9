"""The rejected/ folder after a kill: a note never stands without its file for long."""

from __future__ import annotations

from pathlib import Path

from frmr.daemon.refusals import Refused, move_to_rejected, note_path


def _refuse(path: Path, rejected: Path) -> Path:
    return move_to_rejected(rejected, Refused(path, "Это не PDF", "Сохраните файл как PDF"))


def test_a_note_left_by_a_kill_before_the_move_is_replaced_not_kept_beside(
    tmp_path: Path,
) -> None:
    rejected, dropped = tmp_path / "rejected", tmp_path / "documents"
    rejected.mkdir()
    dropped.mkdir()
    (dropped / "скан.pdf").write_bytes(b"\x7fELF not a pdf")
    # Killed after the note was written and before the file moved: the file is still in
    # the documents folder, and the next intake refuses it again.
    note_path(rejected / "скан.pdf").write_text("Файл «скан.pdf» не принят.\n", encoding="utf-8")
    target = _refuse(dropped / "скан.pdf", rejected)
    assert target == rejected / "скан.pdf"
    assert target.read_bytes() == b"\x7fELF not a pdf"
    assert sorted(p.name for p in rejected.iterdir()) == ["скан.pdf", "скан.pdf.причина.txt"]
    assert "Что не так: Это не PDF" in note_path(target).read_text(encoding="utf-8")


def test_a_second_refusal_of_the_same_name_keeps_both(tmp_path: Path) -> None:
    rejected, dropped = tmp_path / "rejected", tmp_path / "documents"
    dropped.mkdir()
    for content in (b"first", b"second"):
        (dropped / "скан.pdf").write_bytes(content)
        _refuse(dropped / "скан.pdf", rejected)
    assert (rejected / "скан.pdf").read_bytes() == b"first"
    assert (rejected / "скан (2).pdf").read_bytes() == b"second"
    assert note_path(rejected / "скан (2).pdf").exists()
