import pytest

from frmr.model.rules.errors import InvalidInn
from frmr.model.rules.inn import normalize_inn

EXAMPLE = "500100732259"


def test_example_inn_is_valid() -> None:
    assert normalize_inn(EXAMPLE) == EXAMPLE
    assert normalize_inn(" 5001 0073 2259 ") == EXAMPLE


@pytest.mark.parametrize("position", range(12))
def test_every_single_digit_change_is_caught(position: int) -> None:
    for replacement in "0123456789":
        if replacement == EXAMPLE[position]:
            continue
        changed = EXAMPLE[:position] + replacement + EXAMPLE[position + 1 :]
        with pytest.raises(InvalidInn):
            normalize_inn(changed)


def test_an_organisations_ten_digit_inn_is_explained() -> None:
    with pytest.raises(InvalidInn) as caught:
        normalize_inn("7707083893")
    assert "организации" in caught.value.user_message
    assert caught.value.field == "inn"


@pytest.mark.parametrize("text", ["50010073225", "5001007322590"])
def test_wrong_length_says_twelve_digits(text: str) -> None:
    with pytest.raises(InvalidInn, match="expected 12"):
        normalize_inn(text)


def test_letters_are_refused() -> None:
    with pytest.raises(InvalidInn) as caught:
        normalize_inn("50010073225O")
    assert "только цифры" in caught.value.user_message


def test_wrong_check_digits_are_named_as_such() -> None:
    with pytest.raises(InvalidInn) as caught:
        normalize_inn("500100732258")
    assert "контрольные цифры" in caught.value.user_message


def test_empty_inn_is_refused() -> None:
    with pytest.raises(InvalidInn, match="empty"):
        normalize_inn("")
