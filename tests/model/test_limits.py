import pytest

from frmr.model.rules.errors import (
    VALIDATION_ERROR,
    EmptyFile,
    UnsupportedFileType,
    UploadLimitExceeded,
)
from frmr.model.rules.filetypes import FileKind
from frmr.model.rules.limits import (
    MAX_FILES,
    MAX_TOTAL_BYTES,
    VALIDATION_FIX,
    check_attachment_set,
    check_file,
    format_size,
    quota_text,
)

MIB = 1024 * 1024
PDF_HEAD = b"%PDF-1.7\n"
ELF_HEAD = b"\x7fELF\x02\x01\x01\x00"


def test_limits_are_five_files_and_ten_mebibytes() -> None:
    assert MAX_FILES == 5
    assert MAX_TOTAL_BYTES == 10_485_760


def test_five_files_are_accepted() -> None:
    check_attachment_set([100] * 4, [100])


def test_sixth_file_is_rejected_with_reason() -> None:
    with pytest.raises(UploadLimitExceeded) as caught:
        check_attachment_set([100] * 5, [100])
    error = caught.value
    assert error.user_message.startswith(VALIDATION_ERROR)
    assert "не более 5 файлов" in error.user_message
    assert "6" in error.user_message
    assert error.fix == VALIDATION_FIX
    assert error.code == "validation_error"
    assert error.details["count"] == 6


def test_adding_several_files_at_once_counts_them_all() -> None:
    with pytest.raises(UploadLimitExceeded):
        check_attachment_set([100, 100], [100, 100, 100, 100])


def test_exactly_ten_mebibytes_in_total_is_accepted() -> None:
    check_attachment_set([4 * MIB, 3 * MIB], [3 * MIB])


def test_one_byte_over_ten_mebibytes_is_rejected_with_reason() -> None:
    with pytest.raises(UploadLimitExceeded) as caught:
        check_attachment_set([4 * MIB, 3 * MIB], [3 * MIB + 1])
    message = caught.value.user_message
    assert message.startswith(f"{VALIDATION_ERROR}: ")
    assert "не более 10 МБ" in message
    # Rounded, the total would read "10 МБ"; the bytes show why it was refused.
    assert "10 485 761 байт" in message
    assert "не более 5 файлов" not in message


def test_both_limits_broken_are_both_reported() -> None:
    with pytest.raises(UploadLimitExceeded) as caught:
        check_attachment_set([3 * MIB] * 3, [3 * MIB] * 3)
    message = caught.value.user_message
    assert "не более 5 файлов" in message
    assert "не более 10 МБ" in message
    assert "18 МБ" in message


def test_an_empty_application_accepts_nothing_new() -> None:
    check_attachment_set([], [])


def test_a_pdf_is_accepted_whatever_its_name() -> None:
    assert check_file(1000, PDF_HEAD, "scan.bin") is FileKind.PDF


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(EmptyFile) as caught:
        check_file(0, b"", "пусто.pdf")
    assert "«пусто.pdf»" in caught.value.user_message
    assert caught.value.fix


def test_an_executable_renamed_pdf_is_refused_naming_the_file() -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        check_file(20_000, ELF_HEAD, "диплом.pdf")
    error = caught.value
    assert "«диплом.pdf»" in error.user_message
    assert "PDF, JPEG и PNG" in error.user_message
    assert error.fix is not None and "PDF" in error.fix
    assert error.code == "validation_error"


def test_a_single_file_over_the_total_limit_is_refused_at_once() -> None:
    with pytest.raises(UploadLimitExceeded) as caught:
        check_file(MAX_TOTAL_BYTES + 1, PDF_HEAD, "big.pdf")
    assert caught.value.user_message.startswith(VALIDATION_ERROR)
    assert check_file(MAX_TOTAL_BYTES, PDF_HEAD, "ok.pdf") is FileKind.PDF


def test_a_snils_in_a_file_name_stays_out_of_the_log() -> None:
    with pytest.raises(UnsupportedFileType) as caught:
        check_file(10, ELF_HEAD, "СНИЛС 112-233-445 95.pdf")
    assert "112-233" not in caught.value.log_message
    assert "112-233-445 95" in caught.value.user_message


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 Б"),
        (17, "17 Б"),
        (1023, "1023 Б"),
        (1024, "1 КБ"),
        (1536, "1,5 КБ"),
        (512 * 1024, "512 КБ"),
        (int(9.8 * MIB), "9,8 МБ"),
        (MAX_TOTAL_BYTES, "10 МБ"),
        (3 * 1024 * MIB, "3 ГБ"),
    ],
)
def test_sizes_read_the_russian_way(size: int, text: str) -> None:
    assert format_size(size) == text


def test_negative_sizes_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        format_size(-1)


def test_quota_shows_count_and_size_against_the_limits() -> None:
    assert quota_text(3, int(4.2 * MIB)) == "файлов 3/5, 4,2 МБ из 10 МБ"
    assert quota_text(0, 0) == "файлов 0/5, 0 Б из 10 МБ"


def test_limit_texts_follow_the_constants() -> None:
    """The texts are formatted from MAX_FILES and MAX_TOTAL_BYTES, so a new limit changes
    every place that says it: reload the module with other values and read them back."""
    import importlib.util
    from pathlib import Path

    import frmr.model.rules.limits as limits

    assert limits.LIMITS_SHORT == "не более 5 и 10 МБ"
    assert "до 5" in VALIDATION_FIX and "до 10 МБ" in VALIDATION_FIX
    source = importlib.util.find_spec(limits.__name__)
    assert source is not None and source.origin is not None
    text = Path(source.origin).read_text(encoding="utf-8")
    changed = text.replace("MAX_FILES = 5", "MAX_FILES = 7").replace(
        "MAX_TOTAL_BYTES = 10 * 1024 * 1024", "MAX_TOTAL_BYTES = 20 * 1024 * 1024"
    )
    assert changed != text
    namespace: dict[str, object] = {"__name__": "limits_probe"}
    exec(compile(changed, source.origin, "exec"), namespace)
    assert namespace["LIMITS_SHORT"] == "не более 7 и 20 МБ"
    assert "до 7" in str(namespace["VALIDATION_FIX"]) and "до 20 МБ" in str(
        namespace["VALIDATION_FIX"]
    )
