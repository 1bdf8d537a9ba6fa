"""The demo platform, and the operators' admin over it."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from onestop.backoffice.models import ReplyTemplate
from onestop.backoffice.permissions import Action, staff_access
from onestop.cases.models import Case
from onestop.cases.workflow import Status
from onestop.catalog.models import RequestType
from onestop.organisations.models import Organisation
from tests.backoffice_helpers import sign_in


def test_the_demo_has_two_organisations_and_requests_in_every_status_and_keeps_data(
    no_personas: None,
) -> None:
    call_command("load_demo", "--requests", "50", stdout=io.StringIO())
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"wangchao", "nabot"}
    wangchao = Organisation.objects.get(slug="wangchao")
    assert Case.objects.filter(organisation=wangchao).count() == 50
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    count = Case.objects.count()
    call_command("load_demo", stdout=io.StringIO())
    assert Case.objects.count() == count


def test_the_admin_lists_every_model_in_thai_for_the_platform_operator(
    client: Client, no_personas: None
) -> None:
    call_command("load_demo", "--requests", "10", stdout=io.StringIO())
    sign_in(client, User.objects.get(username="admin"))
    index = client.get("/admin/")
    assert index.status_code == 200
    assert "คำร้อง" in index.content.decode()
    for model in apps.get_models():
        if model._meta.app_label not in {"core", "organisations", "catalog", "cases"}:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        response = client.get(url)
        assert response.status_code == 200, url
    types = client.get("/admin/catalog/requesttype/?q=ไฟฟ้า").content.decode()
    assert "ไฟฟ้าสาธารณะ" in types
    assert RequestType.objects.count() == 30


@pytest.mark.django_db
def test_an_organisation_added_in_the_admin_gets_the_default_catalogue(
    admin_client: Client,
) -> None:
    response = admin_client.post(
        "/admin/organisations/organisation/add/",
        {
            "code": "TEST-9", "slug": "newplace", "name_th": "เทศบาลตำบลใหม่", "name_en": "New",
            "kind": "subdistrict_municipality", "province": "ตาก", "district": "วังเจ้า",
            "province_code": "63", "district_code": "6309", "is_active": "on",
            "personal_data_retention_days": "1826",
            "departments-TOTAL_FORMS": "0", "departments-INITIAL_FORMS": "0",
            "categories-TOTAL_FORMS": "0", "categories-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(slug="newplace")
    assert RequestType.objects.filter(organisation=organisation).count() == 15


def test_the_home_page_lists_organisations_and_finds_one_by_part_of_its_name(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "เทศบาลตำบลวังเจ้า" in response.content.decode()
    found = client.get("/", {"q": "วังเจ้า"}).content.decode()
    assert "เทศบาลตำบลวังเจ้า" in found and "องค์การบริหารส่วนตำบลอื่น" not in found


def test_the_demo_corruption_complaints_have_a_granted_head_who_can_act_on_them(
    client: Client, no_personas: None
) -> None:
    call_command("load_demo", "--requests", "50", stdout=io.StringIO())
    wangchao = Organisation.objects.get(slug="wangchao")
    complaint = (
        Case.objects.filter(
            organisation=wangchao, request_type__key="corruption", status=Status.SUBMITTED
        ).first()
        or Case.objects.filter(organisation=wangchao, request_type__key="corruption").first()
    )
    assert complaint is not None
    palad = User.objects.get(username="wangchao-palad")
    access = staff_access(user=palad, organisation=wangchao)
    assert access is not None and access.can_see_confidential
    assert access.may(Action.COMPLETE, complaint)
    page = sign_in(client, palad).get(f"/staff/wangchao/cases/{complaint.number}/")
    assert page.status_code == 200 and complaint.subject in page.content.decode()
    admin = User.objects.get(username="wangchao-admin")
    members = sign_in(client, admin).get("/staff/wangchao/members/").content.decode()
    assert "เรื่องลับที่ยังไม่มีผู้ดำเนินการได้" not in members


def test_the_demo_has_reply_templates_so_the_picker_shows_from_the_first_run(
    client: Client, no_personas: None
) -> None:
    call_command("load_demo", "--requests", "20", stdout=io.StringIO())
    wangchao = Organisation.objects.get(slug="wangchao")
    templates = ReplyTemplate.objects.filter(organisation=wangchao)
    assert {t.status for t in templates} >= {
        Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_CITIZEN, Status.COMPLETED,
        Status.REJECTED,
    }  # fmt: skip
    assert templates.filter(request_type__key="street-light").exists()
    count = ReplyTemplate.objects.count()
    call_command("load_demo", stdout=io.StringIO())  # again: nothing added twice
    assert ReplyTemplate.objects.count() == count
    case = (
        Case.objects.filter(
            organisation=wangchao, status=Status.SUBMITTED, request_type__key="street-light"
        ).first()
        or Case.objects.filter(organisation=wangchao, status=Status.SUBMITTED).first()
    )
    assert case is not None
    sign_in(client, User.objects.get(username="wangchao-counter"))
    page = client.get(f"/staff/wangchao/cases/{case.number}/").content.decode()
    assert "เริ่มจากข้อความสำเร็จรูป" in page and "รับเรื่องแล้ว" in page
