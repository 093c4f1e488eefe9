import pytest

from frmr.model.rules.errors import (
    VALIDATION_ERROR,
    EmptyFile,
    FieldInvalid,
    FrmrError,
    InvalidDate,
    InvalidSnils,
    NotFound,
    StoreError,
    StoreTooNew,
    TransitionRefused,
    UploadLimitExceeded,
    UploadRefused,
)


def test_str_is_the_english_log_message_not_the_russian_one() -> None:
    error = FrmrError("Что-то пошло не так", "something broke")
    assert str(error) == "something broke"
    assert error.user_message == "Что-то пошло не так"
    assert error.code == "error"
    assert error.fix is None
    assert error.details == {}


def test_user_text_joins_message_and_fix_into_one_sentence_pair() -> None:
    assert FrmrError("Сообщение", "x", fix="Сделайте так").user_text() == (
        "Сообщение. Сделайте так"
    )
    assert FrmrError("Сообщение.", "x", fix="Сделайте так").user_text() == (
        "Сообщение. Сделайте так"
    )
    assert FrmrError("Сообщение", "x").user_text() == "Сообщение"


def test_code_can_be_overridden_per_instance_without_touching_the_class() -> None:
    error = FrmrError("м", "l", code="special")
    assert error.code == "special"
    assert FrmrError.code == "error"


def test_details_are_copied_so_the_caller_can_reuse_its_dict() -> None:
    details: dict[str, object] = {"a": 1}
    error = FrmrError("м", "l", details=details)
    details["a"] = 2
    assert error.details == {"a": 1}


def test_field_errors_name_their_field_by_default_and_on_request() -> None:
    assert InvalidSnils("м", "l").field == "snils"
    assert InvalidDate("м", "l", field="birth_date").field == "birth_date"
    assert FieldInvalid("м", "l", field="x").code == "field_invalid"
    assert isinstance(InvalidSnils("м", "l"), FieldInvalid)


def test_upload_errors_share_the_registrys_validation_code() -> None:
    for cls in (EmptyFile, UploadLimitExceeded):
        assert issubclass(cls, UploadRefused)
        assert cls("м", "l").code == "validation_error"


def test_transition_refused_carries_both_statuses() -> None:
    error = TransitionRefused("м", "l", from_status="draft", to_status="passed")
    assert (error.from_status, error.to_status) == ("draft", "passed")
    assert error.code == "transition_refused"
    assert error.details["from_status"] == "draft"


def test_store_and_lookup_errors_have_stable_codes() -> None:
    assert NotFound("м", "l").code == "not_found"
    assert StoreError("м", "l").code == "store_error"
    assert isinstance(StoreTooNew("м", "l"), StoreError)


def test_the_registrys_own_wording_is_kept_verbatim() -> None:
    assert VALIDATION_ERROR == "Ошибка валидации"


def test_errors_are_raisable_and_catchable_as_the_base() -> None:
    with pytest.raises(FrmrError):
        raise EmptyFile("м", "l")
