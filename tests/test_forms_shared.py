"""What every form page shares: one form base class, one error summary, one phone format."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.test import Client

from onestop.backoffice import case_forms, settings_forms
from onestop.backoffice import forms as backoffice_forms
from onestop.cases.models import Case
from onestop.core.errors import DomainError
from onestop.core.forms import OneStopForm, QuickSelect
from onestop.core.identity import format_mobile
from onestop.eservice import forms as eservice_forms
from onestop.organisations.models import Organisation
from onestop.tracking import forms as tracking_forms
from tests.backoffice_helpers import sign_in
from tests.conftest import Staff
from tests.factories import make_case
from tests.wizard import fill_details, fill_documents, fill_place, url

ROOT = Path(__file__).resolve().parent.parent


def _summary(page: str) -> str:
    assert page.count('id="error-summary"') == 1, page
    return page.split('id="error-summary"')[1].split("</div>", maxsplit=1)[0]


# -- one base class ------------------------------------------------------------------------------
def test_the_citizens_and_the_staffs_forms_derive_from_one_base() -> None:
    for module in (eservice_forms, tracking_forms, backoffice_forms, case_forms, settings_forms):
        declared = [
            cls for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, forms.Form) and cls.__module__ == module.__name__
        ]  # fmt: skip
        assert declared, module
        for cls in declared:
            assert issubclass(cls, OneStopForm), cls


def test_labels_have_no_colon_and_a_field_with_an_error_is_marked() -> None:
    form = tracking_forms.CancelForm({"reason": ""})
    assert not form.is_valid()
    field = form["reason"]
    assert field.label_tag().endswith(f"{field.label}</label>")
    assert "has-error" in field.css_classes()
    assert 'aria-invalid="true"' in str(field)


# -- one error summary ---------------------------------------------------------------------------
def test_there_is_one_error_summary_template() -> None:
    found = [p.relative_to(ROOT).as_posix() for p in ROOT.glob("**/templates/**/*error_summary*")
             if ".venv" not in p.parts]  # fmt: skip
    assert found == ["templates/includes/error_summary.html"]
    by_hand = [
        p.relative_to(ROOT).as_posix() for p in ROOT.glob("**/templates/**/*.html")
        if ".venv" not in p.parts and 'class="error-summary"' in p.read_text(encoding="utf-8")
    ]  # fmt: skip
    assert by_hand == ["templates/includes/error_summary.html"]


@pytest.mark.django_db
def test_the_citizen_sees_the_messages_linked_to_their_fields(
    client: Client, org_a: Organisation
) -> None:
    summary = _summary(client.post(url(org_a), {}).content.decode())
    assert "กรุณาแก้ไข" in summary
    assert '<a href="#request-type">กรุณาเลือกประเภทคำร้อง</a>' in summary
    assert '<a href="#id_first_name">กรุณากรอกชื่อ</a>' in summary


@pytest.mark.django_db
def test_staff_see_the_same_summary_with_each_fields_label(
    org_a: Organisation, staff_a: Staff, client: Client
) -> None:
    sign_in(client, staff_a.counter)
    page = client.post(f"/staff/{org_a.slug}/new/", {"channel": "counter"}).content.decode()
    summary = _summary(page)
    assert "กรุณาแก้ไข" in summary
    assert '<a href="#id_subject">หัวข้อเรื่อง: ' in summary


@pytest.mark.django_db
def test_the_staff_sign_in_page_uses_the_same_summary(client: Client, staff_a: Staff) -> None:
    page = client.post(
        "/staff/login/", {"username": "nobody", "password": "wrong-password"}
    ).content.decode()
    assert "กรุณาแก้ไข" in _summary(page)


@pytest.mark.django_db
def test_a_refused_submit_is_shown_in_the_same_summary(
    client: Client, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_kwargs: Any) -> Case:
        raise DomainError("ระบบไม่สามารถออกเลขคำร้องได้ กรุณาลองใหม่อีกครั้ง", code="numbering")

    fill_details(client, org_a)
    fill_place(client, org_a)
    fill_documents(client, org_a)
    monkeypatch.setattr("onestop.eservice.views.case_submit", refuse)
    key = client.session[f"eservice:{org_a.slug}"]["submission_key"]
    response = client.post(url(org_a, "confirm"), {"submission_key": key})
    assert response.status_code == 400
    summary = _summary(response.content.decode())
    assert "ยังส่งคำร้องไม่ได้" in summary
    assert "ระบบไม่สามารถออกเลขคำร้องได้" in summary


# -- one phone format ----------------------------------------------------------------------------
def test_a_mobile_is_shown_as_thai_people_write_it() -> None:
    assert format_mobile("+66812345678") == "081-234-5678"
    assert format_mobile("053-123456") == "053-123456"  # not a mobile in E.164: as given
    assert format_mobile("") == ""


@pytest.mark.django_db
def test_the_review_page_and_the_case_page_write_the_mobile_the_same_way(
    client: Client, org_a: Organisation, staff_a: Staff
) -> None:
    fill_details(client, org_a, phone="+66 81 234 5678")
    fill_place(client, org_a)
    fill_documents(client, org_a)
    assert "081-234-5678" in client.get(url(org_a, "review")).content.decode()
    case = make_case(org_a, phone="0812345678")
    staff = Client()
    sign_in(staff, staff_a.counter)
    page = staff.get(f"/staff/{org_a.slug}/cases/{case.number}/").content.decode()
    assert "081-234-5678" in page


def test_the_quick_select_draws_what_djangos_select_draws() -> None:
    # The dashboard's filters draw their selects in Python: the same HTML, escaped alike.
    choices = [
        ("", "— ทุกกอง —"),
        ("a&b", 'ชื่อ "ใน" <เครื่องหมาย>'),
        ("กลุ่ม", [(1, "หนึ่ง"), (2, "สอง")]),
    ]
    attrs = {"id": "id_x", "required": True, "disabled": False, "aria-describedby": "x_error"}
    for value in ("", "a&b", "2", None):
        expected = forms.Select(choices=choices).render("x", value, attrs)
        assert QuickSelect(choices=choices).render("x", value, attrs) == expected
    assert 'value="a&amp;b" selected' in QuickSelect(choices=choices).render("x", "a&b")
