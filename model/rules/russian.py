"""Russian grammar the interface needs."""

from __future__ import annotations


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun agreeing with `n`: plural_ru(5, "год", "года", "лет") == "лет"."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    last = n % 10
    if last == 1:
        return one
    if 2 <= last <= 4:
        return few
    return many
