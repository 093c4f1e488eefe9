import pytest

from frmr.model.rules.russian import plural_ru


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "лет"),
        (1, "год"),
        (2, "года"),
        (4, "года"),
        (5, "лет"),
        (11, "лет"),
        (12, "лет"),
        (14, "лет"),
        (21, "год"),
        (22, "года"),
        (25, "лет"),
        (101, "год"),
        (111, "лет"),
        (112, "лет"),
        (1001, "год"),
        (-1, "год"),
    ],
)
def test_plural_forms_follow_russian_agreement(n: int, expected: str) -> None:
    assert plural_ru(n, "год", "года", "лет") == expected
