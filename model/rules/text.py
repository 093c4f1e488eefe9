"""One rule for every free-text field, and each field's limits: the client's editors and the
registry's contract (contract.protocol) both read them from here.

The rule: no control characters (C0, DEL, C1; a newline only where the field is
multi-line), no bidirectional embeddings, overrides or isolates (they make a stored name
display as something else, CVE-2021-42574 "Trojan Source"), and no value that is empty once
whitespace and zero-width characters are removed (a name of only U+200B looks blank but is
not). Each field has a maximum length, counted after the value is tidied.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from frmr.model.rules.errors import FieldInvalid

# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI (Unicode TR9, "explicit directional formatting").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters that make a blank value look filled in (or the reverse).
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


class TextInvalid(FieldInvalid):
    code = "text_invalid"


@dataclass(frozen=True)
class TextRule:
    max_length: int
    multiline: bool = False
    # Only where the contract lets the value be empty (an employer not known yet).
    allow_empty: bool = False


def _line(max_length: int, *, allow_empty: bool = False) -> TextRule:
    return TextRule(max_length, allow_empty=allow_empty)


def _lines(max_length: int, *, allow_empty: bool = False) -> TextRule:
    return TextRule(max_length, multiline=True, allow_empty=allow_empty)


# The limits are the registry contract's (contract.protocol); the collection names are its paths.
TEXT_FIELDS: Mapping[str, Mapping[str, TextRule]] = {
    "person": {
        "last_name": _line(100),
        "first_name": _line(100),
        "patronymic": _line(100),
        "birth_place": _line(500),
        "citizenship": _line(100),
    },
    "identity-documents": {
        "doc_type": _line(100),
        "serial": _line(20),
        "number": _line(30),
        "issuer": _line(500),
        "division_code": _line(10),
    },
    "addresses": {
        "region": _line(200),
        "area": _line(200),
        "city": _line(200),
        "street": _line(200),
        "house": _line(20),
        "building": _line(20),
        "flat": _line(20),
        "fias_guid": _line(36),
    },
    "education": {
        "institution": _line(500),
        "doc_serial": _line(20),
        "doc_number": _line(30),
        "specialty": _line(200),
        "qualification": _line(200),
    },
    "courses": {
        "institution": _line(500),
        "theme": _line(500),
        "specialty": _line(200),
        "doc_number": _line(30),
    },
    "certificates": {
        "number": _line(50),
        "specialty_code": _line(20),
        "specialty_name": _line(200),
    },
    "employment": {
        "organization": _line(500, allow_empty=True),
        "department": _line(200),
        "position": _line(200),
    },
    "skills": {"name": _line(200), "description": _lines(2000)},
    # The portal's name of an additional document, which becomes its file name: 120
    # characters of Cyrillic are 240 bytes of UTF-8, with «.pdf» still within the 255 a file
    # name may take.
    "additional-documents": {"name": _line(120)},
    # The report on professional activity (model/report/record.py): the facts on its title, its
    # blocks (multi-line, up to 20,000 characters each) and who signs it.
    "reports": {
        "organization": _line(500, allow_empty=True),
        "text": _lines(20000, allow_empty=True),
        "department": _line(500, allow_empty=True),
        "position": _line(500, allow_empty=True),
        "seniority": _line(500, allow_empty=True),
        "organization_text": _lines(20000, allow_empty=True),
        "department_text": _lines(20000, allow_empty=True),
        "experience_text": _lines(20000, allow_empty=True),
        "duties": _lines(20000, allow_empty=True),
        "achievements": _lines(20000, allow_empty=True),
        "mentoring": _lines(20000, allow_empty=True),
        "proposals": _lines(20000, allow_empty=True),
        "signer_name": _line(500, allow_empty=True),
        "signer_position": _line(500, allow_empty=True),
    },
    "application": {
        "specialty_code": _line(20),
        "specialty_name": _line(200),
        "education_level": _line(100),
        "comment": _lines(2000),
    },
    # A reason given for a cancellation or a review decision.
    "reason": {"reason": _lines(2000)},
    # What an organisation enters with an employee (frmr-registry employee add).
    "employee": {"organization": _line(500), "position": _line(200)},
}


def text_rule(collection: str, field: str) -> TextRule:
    return TEXT_FIELDS[collection][field]


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def forbidden_character(value: str, *, newline: bool = False) -> tuple[str, str] | None:
    """The first character the rule refuses in `value`, described in Russian and in English
    for the log, or None. A newline is taken only where `newline` (a multi-line field)."""
    for char in value:
        if char == "\n" and newline:
            continue
        category = unicodedata.category(char)
        code = f"U+{ord(char):04X}"
        if category == "Cc":
            what = "перевод строки" if char == "\n" else "управляющий символ"
            return f"недопустимый {what} ({_describe(char)})", f"control character {code}"
        if char in BIDI_CONTROLS:
            return (
                f"недопустимый символ направления текста ({_describe(char)})",
                f"bidi control {code}",
            )
        if category == "Cs":
            # A lone surrogate can't be stored as UTF-8 at all; in a file name it is a byte
            # that is not UTF-8.
            return f"недопустимый символ ({_describe(char)})", f"lone surrogate {code}"
    return None


def _refusal(label: str, field: str, problem: str, log: str) -> TextInvalid:
    return TextInvalid(f"{label}: {problem}", f"{field}: {log}", field=field)


def clean_text(value: str, rule: TextRule, *, field: str, label: str | None = None) -> str:
    """The value tidied (single-line: whitespace runs become one space; multi-line: CRLF
    becomes LF, ends trimmed), or TextInvalid saying what is wrong in Russian."""
    label = label or field
    if rule.multiline:
        value = value.replace("\r\n", "\n")
    if (bad := forbidden_character(value, newline=rule.multiline)) is not None:
        what, log = bad
        raise _refusal(label, field, f"{what}: уберите его", log)
    tidy = value.strip() if rule.multiline else " ".join(value.split())
    visible = "".join(c for c in tidy if c not in ZERO_WIDTH and not c.isspace())
    if not visible and not (rule.allow_empty and not tidy):
        raise _refusal(
            label,
            field,
            "значение пустое: введите текст",
            "empty once whitespace and zero-width characters are removed",
        )
    if len(tidy) > rule.max_length:
        raise _refusal(
            label,
            field,
            f"не длиннее {rule.max_length} символов (сейчас {len(tidy)})",
            f"longer than {rule.max_length} ({len(tidy)})",
        )
    return tidy


def check_field(collection: str, field: str, value: str, label: str | None = None) -> str:
    return clean_text(value, text_rule(collection, field), field=field, label=label)


def check_optional(
    collection: str, field: str, value: str | None, label: str | None = None
) -> str | None:
    """An optional field: None or whitespace only means no value; anything else is checked."""
    if value is None or not value.strip():
        return None
    return check_field(collection, field, value, label)


# NAME_MAX of ext4, xfs, btrfs and tmpfs, in bytes: a stored name longer than this could not
# be saved back as a file.
FILE_NAME_MAX_BYTES = 255


def check_file_name(name: str) -> str:
    """A document's file name under the text rule, unchanged, or TextInvalid.

    The same characters as in any single-line field are refused: a newline forges lines in a
    log or a listing, an escape sequence retitles or recolours the terminal that prints the
    name, U+202E shows «отчёт‮fdp.exe» as «отчётexe.pdf». A name is refused, not cleaned:
    it is the worker's file, named by the worker, and a name we rewrote would no longer
    match the file on disk nor what the registry was sent. The client refuses at attach and
    intake (daemon: into rejected/ with the reason), the registry refuses X-File-Name with the
    same words. Whitespace is not tidied: a name is shown as it is on disk."""
    label = "Имя файла"
    if (bad := forbidden_character(name)) is not None:
        what, log = bad
        raise TextInvalid(
            f"{label} «{printable(name)}»: {what}",
            f"file name: {log}",
            field="file_name",
            fix="Переименуйте файл без этого символа и добавьте его снова",
        )
    if not name.strip():
        raise TextInvalid(
            f"{label} пустое", "file name: empty", field="file_name", fix="Назовите файл"
        )
    size = len(name.encode("utf-8"))
    if size > FILE_NAME_MAX_BYTES:
        raise TextInvalid(
            f"{label} длиннее {FILE_NAME_MAX_BYTES} байт (сейчас {size})",
            f"file name: longer than {FILE_NAME_MAX_BYTES} bytes ({size})",
            field="file_name",
            fix="Сократите имя файла и добавьте его снова",
        )
    return name


# C0, DEL and C1: Unicode's Cc, the characters clean_text refuses by category.
CONTROL_CHARACTERS = frozenset(chr(code) for code in (*range(0x20), *range(0x7F, 0xA0)))


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _class(ranges: Iterable[tuple[int, int]]) -> str:
    parts = (_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges)
    return "[" + "".join(parts) + "]"


def only(chars: Iterable[str]) -> str:
    """A regex class of exactly `chars`."""
    ranges: list[tuple[int, int]] = []
    for code in sorted({ord(c) for c in chars}):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return _class(ranges)


def all_but(chars: Iterable[str]) -> str:
    """A regex class of every character but `chars`, in escapes that Python's re and
    ECMA-style validators (the OpenAPI reader's) read alike. A lone surrogate is the one
    difference: Python's re lets it through, a validator of Unicode text can't be given one;
    clean_text refuses it, the schema can't name it."""
    return "[^" + only(chars)[1:]


# Every character str.isspace() counts lies below this one (the last is U+3000 IDEOGRAPHIC
# SPACE); tests/model/test_text.py scans all of Unicode to hold it. Scanning only this far
# keeps the set's making under 2 ms: the whole of Unicode took 130 ms of every CLI call
# that imports the contact rules.
WHITESPACE_END = 0x3001


@cache
def whitespace() -> frozenset[str]:
    """What str.isspace() (so clean_text's tidying) counts as whitespace."""
    return frozenset(c for c in map(chr, range(WHITESPACE_END)) if c.isspace())


@cache
def text_pattern(rule: TextRule) -> str:
    """clean_text's acceptance as one regular expression, for the contract's JSON schema:
    a value it matches, no longer than the rule's limit, is one clean_text accepts, and
    the reverse. Built from the sets clean_text checks; tests/model holds the two together."""
    refused = CONTROL_CHARACTERS | BIDI_CONTROLS
    if rule.multiline:
        refused -= {"\n"}
    # CRLF is tidied to LF in a multi-line field; a lone CR is a control character.
    crlf = "|\\r\\n" if rule.multiline else ""
    any_char = f"(?:{all_but(refused)}{crlf})"
    filled = f"{any_char}*{all_but(refused | whitespace() | ZERO_WIDTH)}{any_char}*"
    if rule.allow_empty:
        blank = f"(?:{only(whitespace() - refused)}{crlf})*"
        return f"^(?:{blank}|{filled})$"
    return f"^{filled}$"


def printable(value: object) -> str:
    """Stored text made safe for a terminal: control and bidi characters shown as escapes
    (\\x1b, \\u202e), so a value can't move the cursor, retitle the window or reorder a line.
    Newlines are escaped too: callers escape each field, or each line of a JSON text."""
    out = []
    for char in str(value):
        if unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS:
            code = ord(char)
            # \uXXXX above ASCII: inside JSON text the escape stays valid JSON.
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def printable_lines(value: object) -> str:
    """Multi-line stored text (a comment, a reason) made safe for a terminal line by line:
    its own line breaks stay, everything else printable() escapes is escaped."""
    return "\n".join(printable(line) for line in str(value).split("\n"))


def full_name(last_name: str, first_name: str, patronymic: str | None) -> str:
    """«Фамилия Имя Отчество», the parts there are, as the header and the report show it."""
    return " ".join(p for p in (last_name, first_name, patronymic) if p)
