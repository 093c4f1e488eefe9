"""Personal data in free text (log lines, error details) replaced by masks.

docs/architecture.md: СНИЛС and passport numbers never appear in logs unmasked. Deliberately greedy:
any 11-digit run shaped like a СНИЛС and any 10-digit run shaped like a passport's series
and number is masked, valid or not, because a log that hides a phone number or a timestamp
by mistake costs nothing and one that leaks a passport is a breach. Longer runs (an ИНН, a
record id) are left alone.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from frmr.model.rules.private import create_private_file
from frmr.model.rules.snils import SNILS_IN_TEXT, mask_snils
from frmr.model.rules.text import printable

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# A Russian passport: a series of 2 + 2 digits and a number of 6, as people type it:
# "45 10 123456", "4510 123456", "4510 № 123456", "4510123456", "45-10-123456", "45.10_123456".
_SEP = r"[ \t\-._/\u00a0]?"
# Not after a dash: "ФРМР-2026-000001" is an application number, not a passport.
_PASSPORT_IN_TEXT = re.compile(rf"(?<![\d-])\d{{2}}{_SEP}\d{{2}}{_SEP}(?:№{_SEP})?\d{{6}}(?!\d)")


def mask_passport(text: str) -> str:
    """Only the number's last three digits stay: enough to tell two documents apart."""
    digits = [c for c in text if c.isdigit()]
    return f"** ** ***{''.join(digits[-3:])}"


def mask_personal_data(text: str) -> str:
    text = SNILS_IN_TEXT.sub(lambda match: mask_snils(match.group(0)), text)
    return _PASSPORT_IN_TEXT.sub(lambda match: mask_passport(match.group(0)), text)


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted line, tracebacks included: an argument or an exception text
    may carry a СНИЛС that no call site thought of. The message itself is one line: control
    and bidi characters in it are escaped (model.rules.text.printable), so a file name with a
    newline can't forge a log line, nor an escape sequence act on the terminal tailing it."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)

    def format(self, record: logging.LogRecord) -> str:
        return mask_personal_data(super().format(record))


def private_log_handler(path: Path) -> logging.FileHandler:
    """A log file 0600 in a 0700 folder, every line masked: the TUI's log, like the daemon's."""
    create_private_file(path)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(MaskingFormatter(LOG_FORMAT))
    return handler
