"""Personal data in free text (log lines, error details) replaced by masks.

design.md: СНИЛС and passport numbers never appear in a log unmasked. Deliberately greedy:
any 11-digit run shaped like a СНИЛС and any 10-digit run shaped like a passport's series
and number is masked, valid or not, because a log that hides a phone number or a timestamp
by mistake costs nothing and one that leaks a passport is a breach. Longer runs (an ИНН, a
record id) are left alone.
"""

from __future__ import annotations

import re

from frmr.model.snils import SNILS_IN_TEXT, mask_snils

# A Russian passport: a series of 2 + 2 digits and a number of 6, as people type it:
# "45 10 123456", "4510 123456", "4510 № 123456", "4510123456".
_PASSPORT_IN_TEXT = re.compile(r"(?<!\d)\d{2}[ \u00a0]?\d{2}[ \u00a0]?(?:№[ \u00a0]?)?\d{6}(?!\d)")


def mask_passport(text: str) -> str:
    """Only the number's last three digits stay: enough to tell two documents apart."""
    digits = [c for c in text if c.isdigit()]
    return f"** ** ***{''.join(digits[-3:])}"


def mask_personal_data(text: str) -> str:
    text = SNILS_IN_TEXT.sub(lambda match: mask_snils(match.group(0)), text)
    return _PASSPORT_IN_TEXT.sub(lambda match: mask_passport(match.group(0)), text)
