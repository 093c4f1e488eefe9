import pytest
from hypothesis import given
from hypothesis import strategies as st

from frmr.model.rules.errors import InvalidSnils
from frmr.model.rules.masking import mask_personal_data
from frmr.model.rules.snils import (
    format_snils,
    mask_snils,
    normalize_snils,
    snils_check_number,
)


def weighted_sum(first9: str) -> int:
    return sum(int(d) * (9 - i) for i, d in enumerate(first9))


def expected_check(first9: str) -> str:
    # The same rule, derived independently: the cases 100, 101 and remainder 100 all
    # collapse to 00 by taking the remainder modulo 101 and then modulo 100.
    return f"{weighted_sum(first9) % 101 % 100:02d}"


def find_first9(target_sum: int) -> str:
    """Nine digits with the given weighted sum, built greedily from the heaviest weight."""
    remaining, digits = target_sum, []
    for weight in range(9, 0, -1):
        digit = min(9, remaining // weight)
        digits.append(str(digit))
        remaining -= digit * weight
    first9 = "".join(digits)
    assert remaining == 0 and weighted_sum(first9) == target_sum
    assert int(first9) > 1001998
    return first9


@pytest.mark.parametrize(
    "text", ["112-233-445 95", "11223344595", " 112 233 445 95 ", "112-233-445-95"]
)
def test_usual_spellings_of_the_example_number_normalise_to_bare_digits(text: str) -> None:
    assert normalize_snils(text) == "11223344595"


def test_example_number_check_number_is_95() -> None:
    assert snils_check_number("112233445") == "95"


@pytest.mark.parametrize("check", [f"{n:02d}" for n in range(100) if n != 95])
def test_every_other_check_number_of_the_example_is_rejected(check: str) -> None:
    with pytest.raises(InvalidSnils) as caught:
        normalize_snils("112233445" + check)
    assert "контрольное число" in caught.value.user_message
    assert caught.value.field == "snils"


def test_neighbouring_check_numbers_are_invalid() -> None:
    for text in ("112-233-445 94", "112-233-445 96"):
        with pytest.raises(InvalidSnils):
            normalize_snils(text)


@pytest.mark.parametrize("first9", ["001001998", "000000001", "001001000"])
@pytest.mark.parametrize("check", ["00", "42", "99"])
def test_numbers_up_to_001_001_998_are_accepted_with_any_check_number(
    first9: str, check: str
) -> None:
    assert normalize_snils(first9 + check) == first9 + check


def test_checksum_applies_from_001_001_999() -> None:
    first9 = "001001999"
    right = snils_check_number(first9)
    wrong = f"{(int(right) + 1) % 100:02d}"
    assert normalize_snils(first9 + right) == first9 + right
    with pytest.raises(InvalidSnils):
        normalize_snils(first9 + wrong)


@pytest.mark.parametrize("target", [100, 101])
def test_sums_of_100_and_101_give_check_number_00(target: int) -> None:
    first9 = find_first9(target)
    assert snils_check_number(first9) == "00" == expected_check(first9)
    assert normalize_snils(first9 + "00") == first9 + "00"


@pytest.mark.parametrize("target", [102, 150, 257, 405])
def test_sums_over_101_take_the_remainder_modulo_101(target: int) -> None:
    first9 = find_first9(target)
    assert snils_check_number(first9) == f"{target % 101:02d}" == expected_check(first9)


@pytest.mark.parametrize("target", [201, 302, 403])
def test_a_remainder_of_100_gives_check_number_00(target: int) -> None:
    first9 = find_first9(target)
    assert target % 101 == 100
    assert snils_check_number(first9) == "00"


def test_small_sums_are_the_check_number_itself() -> None:
    first9 = find_first9(57)
    assert snils_check_number(first9) == "57"


@pytest.mark.parametrize("text", ["1122334459", "112233445950", "1"])
def test_wrong_length_is_reported_as_a_length_problem(text: str) -> None:
    with pytest.raises(InvalidSnils) as caught:
        normalize_snils(text)
    assert "11 цифр" in caught.value.user_message
    assert "контрольное" not in caught.value.user_message


@pytest.mark.parametrize("text", ["112-233-445 9O", "112/233/445/95", "１１２２３３４４５９５"])
def test_foreign_characters_are_reported_as_such(text: str) -> None:
    with pytest.raises(InvalidSnils) as caught:
        normalize_snils(text)
    assert "только цифры" in caught.value.user_message


def test_empty_input_asks_for_the_number() -> None:
    with pytest.raises(InvalidSnils, match="empty"):
        normalize_snils("  ")


def test_log_message_of_a_wrong_check_number_is_masked() -> None:
    with pytest.raises(InvalidSnils) as caught:
        normalize_snils("112-233-445 94")
    assert "112233" not in caught.value.log_message
    assert "112-233" not in caught.value.log_message


def test_snils_check_number_rejects_anything_but_nine_digits() -> None:
    with pytest.raises(ValueError):
        snils_check_number("12345678")


def test_format_snils_prints_the_card_layout() -> None:
    assert format_snils("11223344595") == "112-233-445 95"


def test_mask_keeps_only_the_tail() -> None:
    assert mask_snils("112-233-445 95") == "***-***-445 95"
    assert mask_snils("11223344595") == "***-***-445 95"


@pytest.mark.parametrize("garbage", ["", "abc", "123", "1122334459512"])
def test_mask_never_raises_and_hides_garbage(garbage: str) -> None:
    assert mask_snils(garbage) == "***"


first9s = st.from_regex(r"\A[0-9]{9}\Z", fullmatch=True)


@given(first9s)
def test_formatted_number_normalises_back(first9: str) -> None:
    digits = first9 + snils_check_number(first9)
    assert normalize_snils(format_snils(digits)) == digits


@given(
    first9s,
    st.text(alphabet="абв xyz:=,", max_size=20),
    st.text(alphabet="абв xyz:=,", max_size=20),
)
def test_mask_never_shows_the_first_six_digits(first9: str, before: str, after: str) -> None:
    digits = first9 + snils_check_number(first9)
    for shown in (digits, format_snils(digits)):
        masked = mask_personal_data(before + shown + after)
        # The surrounding text has no digits, so any six in a row would be a leak.
        assert digits[:6] not in masked.replace("-", "").replace(" ", "")
        assert mask_snils(shown) == f"***-***-{digits[6:9]} {digits[9:]}"
