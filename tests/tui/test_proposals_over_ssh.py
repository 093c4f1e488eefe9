"""A doctor over SSH at 80×24 (tmux, TERM=screen): the TUI, run through a real sshd on a
port that is not 22, starts the daemon; a generated scan of an удостоверение is sent with the
real scp into the watched folder; the proposal appears in Портфолио → «Предложено», the form
shows the scan's line beside the focused field, the doctor fills in the one field the
document does not print (the specialty, the portfolio naming two), confirms, and Готовность
(F8) counts the hours, which it did not before. Each wait is for text only that step makes."""

from __future__ import annotations

import os
import random
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from frmr.model.portfolio.edits import add_row
from frmr.model.store.account import open_account
from tests.support.certificates import Generated, pk_document, scan_of
from tests.support.daemon_process import stop_launched_daemon
from tests.support.portfolio_reads import listed, proposals_of
from tests.support.sshd import Sshd
from tests.support.tmux import Terminal
from tests.tui.conftest import tui_settings
from tests.tui.support import fill_card

pytestmark = pytest.mark.real_process

SESSION = f"frmr-ocr-ssh-{os.getpid()}"
WINDOW = f"{SESSION}:tui"
SHORT_NAME = "ФГБОУ ДПО РМАНПО"


_term = Terminal(WINDOW, pause=0.4, patience=30)
_tmux, _keys, _screen, _wait_for = _term.tmux, _term.keys, _term.screen, _term.wait_for


@pytest.fixture
def doctor_home() -> Iterator[Path]:
    """A card and two specialties' certificates: the specialty of a course read from a
    document is then the doctor's to give (the document does not print it)."""
    home = Path(tempfile.mkdtemp(prefix="ocr-", dir="/tmp")) / "home"
    with open_account(tui_settings(home)) as account:
        fill_card(account)
        for number, specialty in (("7722 031234567", "Терапия"), ("7722 031234568", "Кардиология")):
            add_row(
                account,
                "certificates",
                {
                    "number": number,
                    "kind": "accreditation",
                    "specialty_name": specialty,
                    "pass_date": "01.03.2022",
                    "end_date": "01.03.2027",
                },
            )
    yield home
    shutil.rmtree(home.parent, ignore_errors=True)


def _scan() -> Generated:
    # Scanned askew at 200 dpi, with a course inside the reporting period.
    rng = random.Random(7)
    doc = scan_of(pk_document(rng), rng, dpi=200)
    assert doc.fields["date_from"] > "2022-03-01"
    return doc


def test_a_scan_sent_over_ssh_is_checked_beside_its_fields_and_confirmed_in_the_tui(
    doctor_home: Path, sshd: Sshd, tmp_path: Path
) -> None:
    home = doctor_home
    doc = _scan()
    hours = doc.fields["hours"]
    tui = Path(sys.executable).with_name("frmr-tui")
    ssh_options = (
        f"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "
        f"-i {sshd.client_key}"
    )
    # No registry: reading documents and counting hours need none.
    remote = (
        f"env FRMR_HOME={home} FRMR_REGISTRY_URL=http://127.0.0.1:9 "
        f"FRMR_RUNTIME_DIR={home / 'run'} TERM=screen {tui}"
    )
    login = f"ssh -tt {ssh_options} -p {sshd.port} {sshd.user}@127.0.0.1 {shlex.quote(remote)}"
    _tmux("new-session", "-d", "-s", SESSION, "-n", "tui", "-x", "80", "-y", "24", login)
    try:
        _wait_for("Без сети (Esc)")
        _keys("Escape")
        _wait_for("демон: нужен вход")  # the daemon the TUI started answers
        # Before: F8 counts no ДПП ПК hours for Терапия.
        _keys("F8")
        before = _wait_for("ДПП ПК")
        assert "ДПП ПК" in before and " 0/" in before.split("ДПП ПК", 1)[1].splitlines()[0]

        # The scan goes from «the doctor's computer» over the real sshd into the folder.
        name = "удостоверение" + Path(doc.scan_name).suffix
        scan = tmp_path / name
        scan.write_bytes(doc.scan)
        sshd.scp(scan, f"{home / 'documents'}/{name}")

        _keys("F3")
        _wait_for("Стаж:")
        _keys("p")
        _wait_for("Предложено из документов")
        # Read by the daemon in its worker; the list reloads by itself when it is stored.
        _wait_for(f"ПК «{name}»", seconds=120)
        _keys("Enter")
        _wait_for("Сверьте поля со сканом")
        # ↓ to «Часов»: the scan's line where the hours were read stands under the fields.
        _keys("Down", "Down")
        screen = _wait_for("Распознано, стр. 1, «Часов»:")
        with open_account(tui_settings(home)) as account:
            (proposal,) = proposals_of(account)
        source = proposal.field("hours").source  # type: ignore[union-attr]
        assert source is not None
        assert source.line[source.start : source.end] == hours
        before_value, value, after_value = source.excerpt(40)
        assert f"{before_value}{value}{after_value}".strip() in " ".join(screen.split())

        # The picture: ctrl+g writes it and shows the scp line; run on «the doctor's
        # computer» (a shell here, through the same sshd), the line brings both PNGs.
        _keys("C-g")
        shown = _wait_for("s — скопировать команду scp", seconds=60)
        rows = [row.strip("█ ") for row in shown.splitlines()]
        start = next(i for i, row in enumerate(rows) if row.startswith("scp "))
        # The dialog wraps the long line at a space; the doctor selects both rows of it.
        line = rows[start] if rows[start].endswith(" .") else " ".join(rows[start : start + 2])
        assert f"-P {sshd.port}" in line and line.endswith(" ."), line
        mine = tmp_path / "doctor"
        mine.mkdir()
        wrapper = f'scp() {{ command scp {ssh_options} "$@"; }}; {line}'
        subprocess.run(["bash", "-c", wrapper], cwd=mine, check=True, timeout=60)
        fetched = sorted(p.name for p in mine.iterdir())
        assert fetched == [f"скан-{proposal.id[:8]}-hours.png", f"скан-{proposal.id[:8]}-с1.png"]
        assert all((mine / name).read_bytes().startswith(b"\x89PNG") for name in fetched)
        _keys("Escape")
        _wait_for("Сверьте поля со сканом")

        # ↓ to «Организация»: its line on the scan, and the doctor writes the short name the
        # portal knows instead of the one printed in full.
        _keys("Down", "Down", "Down", "Down")
        _wait_for("Распознано, стр. 1, «Организация»:")
        _keys("C-u")
        _term.type_text(SHORT_NAME)
        _wait_for(SHORT_NAME)
        # The specialty is the last field; the document does not print it, the form says so.
        _keys("Down", "Down", "Down")
        _wait_for("«Специальность» не печатается в документе")
        _term.type_text("Терапия")
        _wait_for("Специальность         Терапия")
        _keys("C-o")
        _wait_for("Курс добавлен в портфолио")
        with open_account(tui_settings(home)) as account:
            (course,) = listed(account, "courses")
            (decided,) = proposals_of(account, everything=True)
        assert (course.hours, course.specialty) == (int(hours), "Терапия")
        assert (course.institution, course.theme) == (SHORT_NAME, doc.fields["programme"])
        # The correction is the doctor's, and the scan's line it was checked against stays.
        organisation = decided.field("organisation")
        assert organisation is not None and organisation.corrected
        assert organisation.source is not None and "«" in organisation.source.line

        # After: F8 counts the hours of the confirmed course.
        _keys("F8")
        deadline = time.monotonic() + 30
        while f" {hours}/" not in _screen().split("ДПП ПК", 1)[-1].splitlines()[0]:
            assert time.monotonic() < deadline, _screen()
            time.sleep(0.3)
        _keys("C-q")
    finally:
        # Gone already when C-q ended the TUI and so the SSH session and the window.
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True, check=False)
        # The TUI starts the daemon detached (it outlives the TUI by design).
        assert stop_launched_daemon(tui_settings(home), home), (
            "the daemon the TUI started did not stop"
        )
