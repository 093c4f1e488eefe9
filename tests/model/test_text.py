"""The one free-text rule (model.rules.text): what every editor and the registry refuse."""

from __future__ import annotations

import pytest

from frmr.model.applications.lifecycle import new_application
from frmr.model.portfolio.edits import add_row
from frmr.model.profile.card import set_profile_field
from frmr.model.rules.errors import FieldInvalid
from frmr.model.rules.text import (
    TEXT_FIELDS,
    TextInvalid,
    TextRule,
    check_field,
    check_file_name,
    clean_text,
    printable,
    printable_lines,
)
from frmr.model.store.account import Account

LINE = TextRule(100)
LINES = TextRule(2000, multiline=True)


@pytest.mark.parametrize(
    "value",
    [
        "\x1b]0;pwned\x07Иванова\x1b[2J",  # the red team's terminal escape
        "Ива\x00нова",
        "Иванова\x7f",
        "Иванова\x9b2J",  # C1 CSI
        "Иванова\x85",  # C1 NEL
        "Ива\nнова",  # a newline in a single-line field
        "Ива\tнова",
        "\u202eавонавИ",  # RLO
        "Иванова\u2066x\u2069",  # LRI … PDI
        "\u200b",  # only a zero-width space
        "\u200b \ufeff\u2060 \u00a0",
        "   ",
        "",
        "я" * 101,
    ],
)
def test_single_line_values_are_refused(value: str) -> None:
    with pytest.raises(TextInvalid) as caught:
        clean_text(value, LINE, field="last_name", label="Фамилия")
    assert caught.value.user_message.startswith("Фамилия: ")
    assert caught.value.field == "last_name"


def test_single_line_whitespace_is_tidied_and_the_limit_counts_the_tidy_value() -> None:
    assert clean_text("  Анна   Мария\u00a0 ", LINE, field="x") == "Анна Мария"
    assert clean_text("я" * 100, LINE, field="x") == "я" * 100


def test_multi_line_fields_take_newlines_but_not_other_controls() -> None:
    assert clean_text("строка 1\r\nстрока 2\n", LINES, field="comment") == "строка 1\nстрока 2"
    with pytest.raises(TextInvalid):
        clean_text("строка\x1b[2J", LINES, field="comment")
    with pytest.raises(TextInvalid):
        clean_text("\n\u200b\n", LINES, field="comment")
    with pytest.raises(TextInvalid) as caught:
        clean_text("я" * 2001, LINES, field="comment", label="Комментарий")
    assert "2000" in caught.value.user_message


def test_allow_empty_takes_empty_but_not_invisible() -> None:
    rule = TEXT_FIELDS["employment"]["organization"]
    assert clean_text("", rule, field="organization") == ""
    with pytest.raises(TextInvalid):
        clean_text("\u200b", rule, field="organization")


def test_every_field_has_a_positive_limit() -> None:
    assert all(r.max_length > 0 for fields in TEXT_FIELDS.values() for r in fields.values())
    assert check_field("application", "comment", "ok") == "ok"


def test_printable_escapes_controls_and_bidi_but_keeps_russian() -> None:
    assert printable("\x1b]0;pwned\x07Иванова\x1b[2J") == "\\x1b]0;pwned\\x07Иванова\\x1b[2J"
    assert printable("a\u202eb\x9bc") == "a\\u202eb\\u009bc"


def test_profile_editor_refuses_a_terminal_escape_and_saves_nothing(account: Account) -> None:
    with pytest.raises(FieldInvalid):
        set_profile_field(account, "last_name", "\x1b]0;pwned\x07Иванова\x1b[2J")
    with pytest.raises(FieldInvalid):
        set_profile_field(account, "first_name", "\u200b")
    with pytest.raises(FieldInvalid):
        set_profile_field(account, "patronymic", "\u202eчивонavИ")
    person = set_profile_field(account, "last_name", "Иванова")
    assert person.last_name == "Иванова"
    assert not person.first_name and not person.patronymic


def test_portfolio_editor_applies_the_rule_and_the_contract_limit(account: Account) -> None:
    with pytest.raises(FieldInvalid) as caught:
        add_row(account, "skills", {"name": "x" * 201})
    assert caught.value.field == "name"
    with pytest.raises(FieldInvalid):
        add_row(account, "identity-documents", {"doc_type": "Паспорт", "number": "1" * 31})
    row = add_row(account, "skills", {"name": "Навык", "description": "строка 1\nстрока 2"})
    assert row.description == "строка 1\nстрока 2"


def test_application_comment_over_2000_is_refused_before_anything_is_saved(
    account: Account,
) -> None:
    with pytest.raises(FieldInvalid) as caught:
        new_application(
            account, specialty="Терапия", phone="9123456789", email="a@b.ru", comment="я" * 2001
        )
    assert "2000" in caught.value.user_message
    assert not any(account.home.glob("**/application-*"))


def test_whitespace_holds_every_character_python_calls_space() -> None:
    import sys

    from frmr.model.rules.text import whitespace

    everywhere = {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}
    assert whitespace() == everywhere


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("скан\nподделка.pdf", "перевод строки"),
        ("\x1b]0;pwned\x07скан.pdf", "управляющий символ"),
        ("\x1b[31mскан.pdf", "управляющий символ"),
        ("отчёт\u202efdp.exe", "символ направления текста"),
        ("скан\udcff.pdf", "недопустимый символ"),  # a byte that is not UTF-8, as Python reads it
        ("   ", "пустое"),
        ("я" * 128, "255 байт"),
    ],
)
def test_file_names_are_refused_not_cleaned(name: str, problem: str) -> None:
    with pytest.raises(TextInvalid) as caught:
        check_file_name(name)
    assert problem in caught.value.user_message
    assert caught.value.field == "file_name"
    assert caught.value.fix
    assert printable(caught.value.user_message) == caught.value.user_message


def test_an_ordinary_file_name_is_kept_exactly() -> None:
    for name in ("Смирнов А.В.  трудовая книжка на 3 л..pdf", "scan (1).PDF", "я" * 127):
        assert check_file_name(name) == name


def test_printable_lines_keeps_line_breaks_and_escapes_the_rest() -> None:
    assert printable_lines("строка\x1b[2J\nвторая\u202e") == "строка\\x1b[2J\nвторая\\u202e"
