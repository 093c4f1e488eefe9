"""The application flow through the shared actions: create, attach, form, submit, cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from frmr.model.applications.lifecycle import (
    cancel_application,
    check_application,
    form_application,
    list_applications,
    new_application,
    submit_application,
)
from frmr.model.documents.library import attach_files, detach_document, import_file, list_documents
from frmr.model.portfolio.checks import PortfolioRejected
from frmr.model.portfolio.edits import add_row
from frmr.model.readiness.findings import Verdict
from frmr.model.report.record import update_report
from frmr.model.rules.errors import (
    ORGANIZATION_MISSING,
    PORTFOLIO_INCONSISTENT,
    VALIDATION_ERROR,
    FieldInvalid,
    FrmrError,
    InvalidPhone,
    NotFound,
    TransitionRefused,
    UnsupportedFileType,
    UploadLimitExceeded,
)
from frmr.model.rules.limits import MAX_TOTAL_BYTES
from frmr.model.rules.statuses import Actor, ApplicationStatus
from frmr.model.store.account import Account
from frmr.model.store.tables import Application
from tests.samples import ELF_HEAD, add_listed_scans, make_file, make_pdf
from tests.support.reads import stored_application, stored_history

TODAY = date(2026, 11, 26)


def _portfolio(account: Account, *, employed: bool = True) -> None:
    add_row(
        account,
        "employment",
        {
            "organization": "ГБУЗ ГКБ № 1",
            "position": "Врач-терапевт",
            "position_type": "main",
            "begin_date": "01.09.2015",
            "end_date": "" if employed else "31.12.2019",
        },
    )
    add_row(
        account,
        "courses",
        {
            "theme": "Актуальные вопросы терапии",
            "kind": "dpp_pk",
            "specialty": "Терапия",
            "institution": "РМАНПО",
            "hours": "144",
            "begin_date": "01.03.2024",
            "end_date": "30.03.2024",
            "doc_number": "772400012345",
        },
    )
    add_row(
        account,
        "certificates",
        {
            "number": "7722 031234567",
            "kind": "accreditation",
            "specialty_name": "Терапия",
            "pass_date": "01.03.2022",
            "end_date": "01.03.2027",
        },
    )
    update_report(account, {"duties": "Отчёт"})


def _new(account: Account, **kw: object) -> str:
    args: dict[str, object] = {
        "specialty": "Терапия",
        "phone": "8 (912) 345-67-89",
        "email": "doctor@example.ru",
    }
    args.update(kw)
    return new_application(account, **args).app.id  # type: ignore[arg-type]


def test_new_application_is_a_draft_with_its_own_folder(account: Account) -> None:
    view = new_application(
        account, specialty="Терапия", phone="+7 912 345 67 89", email="A@Example.RU"
    )
    assert view.app.status is ApplicationStatus.DRAFT
    assert view.app.phone == "+79123456789"
    assert Path(view.folder).is_dir()
    assert Path(view.folder).parent == account.documents_dir
    history = stored_history(account, view.app.id)
    assert [(h.from_status, h.to_status, h.actor) for h in history] == [
        (None, ApplicationStatus.DRAFT, Actor.WORKER)
    ]


def test_specialty_by_code_and_by_name_is_the_same(account: Account) -> None:
    by_name = new_application(account, specialty="терапия", phone="9123456789", email="a@b.ru")
    by_code = new_application(
        account, specialty=by_name.app.specialty_code, phone="9123456789", email="a@b.ru"
    )
    assert by_code.app.specialty_name == by_name.app.specialty_name == "Терапия"


def test_an_application_is_found_by_its_id_a_prefix_or_its_number(account: Account) -> None:
    app_id = _new(account)
    (first,) = [v.app for v in list_applications(account) if v.app.id == app_id]
    with account.store.write() as session:
        row = session.get_one(Application, first.id)
        row.number = "ФРМР-2026-000123"
        session.add(row)
        # A removed application whose id starts as the first one's.
        session.add(
            Application(
                id=first.id[:8] + "twin",
                kind=first.kind,
                specialty_code=first.specialty_code,
                specialty_name=first.specialty_name,
                phone=first.phone,
                email=first.email,
                folder_name="application-twin",
                deleted=True,
            )
        )
    for ref in (first.id, f"  {first.id[:9]} ", "ФРМР-2026-000123"):
        assert stored_application(account, ref).app.id == first.id
        assert [h.to_status for h in stored_history(account, ref)] == [first.status]
    with pytest.raises(NotFound) as ambiguous:
        stored_application(account, first.id[:8])
    assert "подходит несколько заявлений" in ambiguous.value.user_message
    for ref in (first.id[:8] + "twin", "ФРМР-2026-000999", ""):
        with pytest.raises(NotFound, match="not found"):
            stored_application(account, ref)


def test_unknown_specialty_and_bad_phone_are_refused(account: Account) -> None:
    with pytest.raises(NotFound):
        _new(account, specialty="Астрология")
    with pytest.raises(InvalidPhone):
        _new(account, phone="12345")
    assert list_applications(account) == []


def test_five_files_attach_and_the_sixth_is_refused(account: Account, tmp_path: Path) -> None:
    app_id = _new(account)
    files = [make_pdf(tmp_path / f"scan{i}.pdf", 1000) for i in range(6)]
    attach_files(account, app_id, files[:5])
    with pytest.raises(UploadLimitExceeded) as err:
        attach_files(account, app_id, files[5:])
    assert err.value.user_message.startswith(VALIDATION_ERROR)
    view = list_applications(account)[0]
    assert len(view.documents) == 5


def test_exactly_ten_mib_attaches_and_one_byte_more_does_not(
    account: Account, tmp_path: Path
) -> None:
    half = MAX_TOTAL_BYTES // 2
    a = make_pdf(tmp_path / "a.pdf", half)
    b = make_pdf(tmp_path / "b.pdf", MAX_TOTAL_BYTES - half)
    first = _new(account)
    attach_files(account, first, [a, b])
    second = _new(account)
    c = make_pdf(tmp_path / "c.pdf", MAX_TOTAL_BYTES - half + 1)
    with pytest.raises(UploadLimitExceeded):
        attach_files(account, second, [a, c])
    assert list_applications(account)[0].documents == []


def test_an_executable_renamed_pdf_is_refused_and_left_alone(
    account: Account, tmp_path: Path
) -> None:
    fake = make_file(tmp_path / "справка.pdf", ELF_HEAD, 4096)
    before = fake.read_bytes()
    with pytest.raises(UnsupportedFileType):
        import_file(account, fake)
    assert fake.read_bytes() == before


def test_import_copies_by_content_and_never_touches_the_original(
    account: Account, tmp_path: Path
) -> None:
    src = make_pdf(tmp_path / "diploma.pdf", 5000)
    mtime = src.stat().st_mtime_ns
    first = import_file(account, src)
    copy = tmp_path / "copy-of-diploma.pdf"
    copy.write_bytes(src.read_bytes())
    second = import_file(account, copy)
    assert first.created and not second.created
    assert second.document.id == first.document.id
    blob = account.store.blobs.path_for(first.document.sha256)
    assert blob.read_bytes() == src.read_bytes()
    assert src.stat().st_mtime_ns == mtime


def test_forming_lists_every_problem_with_its_fix(account: Account) -> None:
    app_id = _new(account)
    checked = check_application(account, app_id, TODAY)
    assert checked.verdict is Verdict.NOT_READY
    assert ORGANIZATION_MISSING in {p.message for p in checked.problems}
    with pytest.raises(PortfolioRejected) as err:
        form_application(account, app_id, TODAY)
    assert all(p.fix for p in err.value.problems)
    assert list_applications(account)[0].app.status is ApplicationStatus.DRAFT


def test_not_employed_with_agreed_report_is_an_inconsistent_portfolio(account: Account) -> None:
    _portfolio(account, employed=False)
    update_report(account, {"variant": "agreed"})
    app_id = _new(account)
    problems = check_application(account, app_id, TODAY).problems
    assert PORTFOLIO_INCONSISTENT in {p.message for p in problems}


def test_form_submit_and_cancel_walk_the_state_machine(account: Account, tmp_path: Path) -> None:
    _portfolio(account)
    add_listed_scans(account, tmp_path / "scans")
    app_id = _new(account)
    attach_files(account, app_id, [make_pdf(tmp_path / "report.pdf")])
    assert form_application(account, app_id, TODAY).app.status is ApplicationStatus.FORMED
    submitted = submit_application(account, app_id, TODAY).app
    assert submitted.status is ApplicationStatus.QUEUED
    with account.store.read() as session:
        stored = session.get(Application, app_id)
    assert stored is not None and stored.submit_key == f"{app_id}:1"
    with pytest.raises(FrmrError):
        detach_document(account, app_id, list_applications(account)[0].documents[0].id)
    with pytest.raises(TransitionRefused):
        form_application(account, app_id, TODAY)
    assert cancel_application(account, app_id, "передумал").app.status is (
        ApplicationStatus.CANCELLED
    )
    history = [h.to_status for h in stored_history(account, app_id)]
    assert history == [
        ApplicationStatus.DRAFT,
        ApplicationStatus.FORMED,
        ApplicationStatus.QUEUED,
        ApplicationStatus.CANCELLED,
    ]


def test_detaching_keeps_the_document_in_the_library(account: Account, tmp_path: Path) -> None:
    app_id = _new(account)
    (doc,) = attach_files(account, app_id, [make_pdf(tmp_path / "x.pdf")])
    detach_document(account, app_id, doc.id)
    assert list_applications(account)[0].documents == []
    assert [d.id for d in list_documents(account)] == [doc.id]


def test_education_level_follows_the_specialty_unless_given(account: Account) -> None:
    doctor = new_application(account, specialty="Терапия", phone="9123456789", email="a@b.ru")
    nurse = new_application(
        account,
        specialty="Сестринское дело",
        phone="9123456789",
        email="a@b.ru",
        education_level="Среднее",
    )
    dentist = new_application(
        account,
        specialty="Стоматология",
        phone="9123456789",
        email="a@b.ru",
        education_level="secondary",
    )
    labelled = new_application(
        account, specialty="Лечебное дело (высшее)", phone="9123456789", email="a@b.ru"
    )
    assert doctor.app.education_level == "higher"
    assert (nurse.app.specialty_code, nurse.app.education_level) == ("207", "secondary")
    # The secondary «Стоматология» (зубной врач), never the higher one's code.
    assert (dentist.app.specialty_code, dentist.app.education_level) == ("231", "secondary")
    assert (labelled.app.specialty_code, labelled.app.education_level) == ("103", "higher")


def test_a_name_at_both_levels_is_never_guessed(account: Account) -> None:
    with pytest.raises(FieldInvalid, match="at both levels"):
        new_application(account, specialty="Лечебное дело", phone="9123456789", email="a@b.ru")
    with pytest.raises(FieldInvalid, match="has no item at level"):
        new_application(
            account,
            specialty="Терапия",
            phone="9123456789",
            email="a@b.ru",
            education_level="Среднее",
        )
    assert list_applications(account) == []
