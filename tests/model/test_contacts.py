import pytest
from hypothesis import given
from hypothesis import strategies as st

from frmr.model.rules.contacts import format_phone, normalize_email, normalize_phone
from frmr.model.rules.errors import InvalidEmail, InvalidPhone


@pytest.mark.parametrize(
    "text",
    [
        "8 (912) 345-67-89",
        "+7 912 345 67 89",
        "9123456789",
        "+7(912)345-67-89",
        "89123456789",
        "79123456789",
        "+7 912 345-67-89",
        "8\u00a0912\u00a0345\u201267\u201289",
    ],
)
def test_usual_phone_forms_normalise_to_e164(text: str) -> None:
    assert normalize_phone(text) == "+79123456789"


def test_landline_numbers_are_accepted() -> None:
    assert normalize_phone("8 (495) 123-45-67") == "+74951234567"


def test_phone_is_formatted_for_reading() -> None:
    assert format_phone("+79123456789") == "+7 912 345-67-89"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Укажите"),
        ("+44 20 7946 0958", "российский"),
        ("912345678", "10 цифр"),
        ("+7 912 345 67 890", "10 цифр"),
        ("+7 912 ABC 67 89", "только цифры"),
        ("+7 712 345 67 89", "Такого"),
    ],
)
def test_bad_phones_are_refused_with_the_reason(text: str, fragment: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(text)
    assert fragment in caught.value.user_message
    assert caught.value.field == "phone"


@given(st.sampled_from("3489"), st.from_regex(r"\A[0-9]{9}\Z", fullmatch=True))
def test_formatted_phone_normalises_back(first: str, rest: str) -> None:
    phone = "+7" + first + rest
    assert normalize_phone(format_phone(phone)) == phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" Ivan.Petrov@Mail.RU ", "Ivan.Petrov@mail.ru"),
        ("doctor+frmr@clinic.spb.ru", "doctor+frmr@clinic.spb.ru"),
        ("врач@почта.рф", "врач@почта.рф"),
    ],
)
def test_email_is_trimmed_and_its_domain_lowered(text: str, expected: str) -> None:
    assert normalize_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ivan",
        "ivan@",
        "@mail.ru",
        "ivan@mail",
        "ivan@@mail.ru",
        "iv an@mail.ru",
        "ivan@mail..ru",
        "ivan@.mail.ru",
        "ivan@mail.ru.",
        "ivan@mail.r",
        "a@b@mail.ru",
    ],
)
def test_malformed_emails_are_refused(text: str) -> None:
    with pytest.raises(InvalidEmail) as caught:
        normalize_email(text)
    assert caught.value.field == "email"
